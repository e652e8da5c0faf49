import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_KEYS, parseConfig, SequesterConfig } from '../../stacks/config';

const project = parse(readFileSync(path.resolve(__dirname, '../../Pulumi.yaml'), 'utf8')) as {
  main: string;
  stackConfigDir: string;
  config: Record<string, { description?: string; default?: unknown; type?: string }>;
};
const example = parse(readFileSync(path.resolve(__dirname, '../../stacks/Pulumi.example.yaml'), 'utf8')) as {
  config: Record<string, unknown>;
};
/** What Pulumi hands the program: every value as a string, structured values as JSON. */
const asPulumiValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

describe('Module: stacks/config.ts', () => {
  describe('Function: parseConfig', () => {
    it('applies the defaults when the stack sets nothing', () => {
      const cfg = parseConfig(() => undefined);
      expect(cfg).toMatchObject({
        retentionDays: 365,
        severityFloor: 7,
        exportConcurrency: 8,
        stackKind: 'responder',
      });
    });

    it('reads numbers, booleans and lists from their string form', () => {
      const values: Record<string, string> = {
        retentionDays: '30',
        stopInstance: 'true',
        forensicCidrs: '["10.9.0.0/24"]',
      };
      const cfg = parseConfig((k) => values[k]);
      expect(cfg).toMatchObject({ retentionDays: 30, stopInstance: true, forensicCidrs: ['10.9.0.0/24'] });
    });

    it('rejects a retention below one day naming the key', () => {
      expect(() => parseConfig((k) => (k === 'retentionDays' ? '0' : undefined))).toThrow(
        /sequester:retentionDays: must be at least 1 day/,
      );
    });

    it('rejects a bad member account id naming the key and index', () => {
      expect(() => parseConfig((k) => (k === 'memberAccountIds' ? '["12345"]' : undefined))).toThrow(
        /sequester:memberAccountIds\.0: must be a 12-digit AWS account id/,
      );
    });

    it('rejects a bad forensic CIDR naming the key', () => {
      expect(() => parseConfig((k) => (k === 'forensicCidrs' ? '["everywhere"]' : undefined))).toThrow(
        /sequester:forensicCidrs\.0/,
      );
    });

    it('bounds the snapshot timeout to 1-168 hours, naming the key', () => {
      expect(parseConfig(() => undefined).snapshotTimeoutHours).toBe(24);
      for (const bad of ['0', '169', '1.5'])
        expect(() => parseConfig((k) => (k === 'snapshotTimeoutHours' ? bad : undefined))).toThrow(
          /sequester:snapshotTimeoutHours: /,
        );
      expect(
        parseConfig((k) => (k === 'snapshotTimeoutHours' ? '168' : undefined)).snapshotTimeoutHours,
      ).toBe(168);
    });

    it('takes snapshot lock days within the EBS Snapshot Lock range, 0 meaning no lock', () => {
      expect(parseConfig(() => undefined).snapshotLockDays).toBe(0);
      expect(parseConfig((k) => (k === 'snapshotLockDays' ? '36500' : undefined)).snapshotLockDays).toBe(
        36500,
      );
      for (const bad of ['-1', '36501', '7.5', '"thirty"'])
        expect(() => parseConfig((k) => (k === 'snapshotLockDays' ? bad : undefined))).toThrow(
          /sequester:snapshotLockDays: /,
        );
    });

    it('rejects a deny list that covers the whole allow list, naming the key', () => {
      const values: Record<string, string> = {
        findingTypeAllow: '["CryptoCurrency:EC2/"]',
        findingTypeDeny: '["CryptoCurrency:"]',
      };
      expect(() => parseConfig((k) => values[k])).toThrow(/sequester:findingTypeDeny: denies every type/);
    });

    it('requires the responder account in a member stack', () => {
      expect(() => parseConfig((k) => (k === 'stackKind' ? 'member' : undefined))).toThrow(
        /sequester:responderAccountId/,
      );
    });
  });

  describe('Project file: Pulumi.yaml', () => {
    it('names stacks/index.ts as the program and stacks/ as the stack config directory', () => {
      expect(project.main).toBe('stacks/index.ts');
      expect(project.stackConfigDir).toBe('stacks');
    });

    it('declares every config key with a description and a default', () => {
      expect(Object.keys(project.config).sort()).toEqual(CONFIG_KEYS.map((k) => `sequester:${k}`).sort());
      for (const decl of Object.values(project.config)) {
        expect(decl.description).toEqual(expect.any(String));
        expect(decl.default).toBeDefined();
      }
    });

    it('declares the same defaults as the config schema', () => {
      const fromYaml = parseConfig((k) => {
        const d = project.config[`sequester:${k}`]?.default;
        return d === undefined ? undefined : asPulumiValue(d);
      });
      expect(fromYaml).toEqual(SequesterConfig.parse({}));
    });
  });

  describe('Stack file: stacks/Pulumi.example.yaml', () => {
    it('is a valid configuration with provisioned concurrency for the isolation function', () => {
      const cfg = parseConfig((k) => {
        const v = example.config[`sequester:${k}`];
        return v === undefined ? undefined : asPulumiValue(v);
      });
      expect(cfg.isolateProvisionedConcurrency).toBeGreaterThan(0);
    });
  });
});
