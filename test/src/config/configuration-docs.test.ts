// docs/configuration.md documents every option with its flag, environment variable and default.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../../src/config/config-options.js';
import { formatDefault } from '../../../src/config/usage.js';

describe('docs/configuration.md', () => {
  it('has a table row per option with its flag, env name and default', async () => {
    const doc = await readFile(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const option of OPTIONS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${option.path}\` |`));
      expect(row, option.path).toBeDefined();
      const cells = (row ?? '').split('|').map((c) => c.trim());
      expect(cells[2], option.path).toBe('flag' in option ? `\`--${option.flag} ${option.valueName}\`` : '');
      expect(cells[3], option.path).toBe('env' in option ? `\`${option.env}\`` : '');
      const shown = option.default === null ? 'none' : Array.isArray(option.default) ? `\`${JSON.stringify(option.default)}\`` : `\`${formatDefault(option.default)}\``;
      expect(cells[4].startsWith(shown), `${option.path}: ${cells[4]}`).toBe(true);
    }
  });
});
