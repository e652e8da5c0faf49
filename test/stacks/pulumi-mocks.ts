import * as pulumi from '@pulumi/pulumi';
import { runInPulumiStack } from '@pulumi/pulumi/runtime/stack';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** What the mock returned as the resource's state: inputs plus computed outputs and the id. */
  readonly outputs: Record<string, unknown>;
  /** The explicit provider (`<urn>::<id>`), when the resource has one (a region's own provider). */
  readonly provider?: string;
}

/** Outputs AWS computes on creation that the program reads (ARNs, names, endpoints), in `partition`. */
function computed(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  partition: string,
): Record<string, unknown> {
  const arnName = typeof inputs.name === 'string' ? inputs.name : name;
  const p = partition;
  switch (type) {
    case 'aws:s3/bucket:Bucket':
      return { bucket: name, arn: `arn:${p}:s3:::${name}` };
    case 'aws:apigatewayv2/api:Api':
      return {
        executionArn: `arn:${p}:execute-api:${REGION}:${ACCOUNT}:${name}`,
        apiEndpoint: `https://${name}.execute-api.${REGION}.amazonaws.com`,
      };
    case 'aws:lambda/function:Function':
      return { arn: `arn:${p}:lambda:${REGION}:${ACCOUNT}:function:${arnName}`, version: '1' };
    case 'aws:lambda/alias:Alias':
      return { arn: `arn:${p}:lambda:${REGION}:${ACCOUNT}:function:${inputs.functionName}:${arnName}` };
    case 'aws:iam/role:Role':
      return { arn: `arn:${p}:iam::${ACCOUNT}:role${inputs.path ?? '/'}${arnName}` };
    default:
      return { arn: `arn:${p}:mock:${REGION}:${ACCOUNT}:${type.split(':').pop()}/${arnName}`, name: arnName };
  }
}

export interface MockOptions {
  /** The partition getPartition answers and computed ARNs use (`aws` unless given). */
  readonly partition?: string;
}

/**
 * Recording mocks: every resource the program declares is kept with its inputs, and any provider
 * function call that is not mocked here throws, so a new data source cannot slip into the program
 * unnoticed (and unanswered calls never fall back to a real cloud).
 */
export function recordingMocks(o: MockOptions = {}): {
  mocks: pulumi.runtime.Mocks;
  resources: Recorded[];
} {
  const partition = o.partition ?? 'aws';
  const resources: Recorded[] = [];
  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const inputs = args.inputs as Record<string, unknown>;
      const extra = computed(args.type, args.name, inputs, partition);
      // A bucket's id is its name on AWS; other resources get a recognisable fake id.
      const id = typeof extra.bucket === 'string' ? extra.bucket : `${args.name}-id`;
      const outputs = { ...inputs, ...extra, id };
      resources.push({
        type: args.type,
        name: args.name,
        inputs,
        outputs,
        ...(args.provider === undefined ? {} : { provider: args.provider }),
      });
      return { id, state: outputs };
    },
    call(args) {
      switch (args.token) {
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return {
            accountId: ACCOUNT,
            arn: `arn:${partition}:iam::${ACCOUNT}:user/test`,
            userId: 'AIDTEST',
            id: ACCOUNT,
          };
        case 'aws:index/getPartition:getPartition':
          return { partition, dnsSuffix: 'amazonaws.com', id: partition };
        case 'aws:index/getRegion:getRegion':
          return { name: REGION, region: REGION, id: REGION };
        default:
          throw new Error(`unmocked provider call ${args.token}`);
      }
    },
  };
  return { mocks, resources };
}

/**
 * Loads the whole program (stacks/index.ts) under mocks with the given config, then waits until every
 * resource it declared is registered (each one's urn resolved), and returns what was recorded.
 */
export async function loadProgram(
  config: Record<string, string> = {},
  o: MockOptions = {},
): Promise<Recorded[]> {
  const { mocks, resources } = recordingMocks(o);
  await pulumi.runtime.setMocks(mocks, 'sequester', 'test', true);
  // The stack's home region, as `pulumi config set aws:region` sets it.
  pulumi.runtime.setAllConfig(
    {
      'aws:region': REGION,
      ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`sequester:${k}`, v])),
    },
    [],
  );
  const created: pulumi.Resource[] = [];
  // A root stack (as `pulumi up` has) so a stack transformation can see every resource object.
  await runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      created.push(args.resource);
      return undefined;
    });
    require('../../stacks/index');
  });
  // Resources constructed inside applies appear late: wait until no new ones show up.
  let seen = -1;
  while (seen !== created.length) {
    seen = created.length;
    await Promise.all(created.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  }
  return resources;
}

export const ofType = (rs: ReadonlyArray<Recorded>, type: string) => rs.filter((r) => r.type === type);

export const parseJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** Every string in a value, JSON documents (policies are rendered as JSON strings) opened up. */
export function stringsIn(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return stringsIn(JSON.parse(t), out);
      } catch {
        // not JSON after all
      }
    }
    out.push(v);
  } else if (Array.isArray(v)) for (const x of v) stringsIn(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stringsIn(x, out);
  return out;
}
