/**
 * Test infrastructure: gives an EC2 volume on moto its bytes, so snapshots of it taken afterwards are
 * served by the EBS direct APIs (see sequester_moto_bridge.py, loaded by startMoto()).
 */
export async function seedVolume(
  endpoint: string,
  o: { region: string; volumeId: string; data: Uint8Array; accountId?: string },
): Promise<{ writtenBlocks: number }> {
  const url = `${endpoint}/moto-api/sequester/volumes/${o.volumeId}?region=${o.region}&account=${o.accountId ?? '123456789012'}`;
  const res = await fetch(url, {
    method: 'PUT',
    body: o.data,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (!res.ok) {
    throw new Error(
      `seeding ${o.volumeId} failed (${res.status}): is moto running with local-aws/ebs-bridge?`,
    );
  }
  return (await res.json()) as { writtenBlocks: number };
}
