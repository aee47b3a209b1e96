// Start-up check that the TLS certificate and key named in the config exist and are readable,
// so a bad path fails at launch rather than at the first RTMPS connection.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { ConfigProblem } from './config-error.js';
import { fileErrorReason } from './config-file.js';
import type { OnrampConfig } from './config-schema.js';

export async function checkReadableFiles(config: OnrampConfig, sources: ReadonlyMap<string, string>): Promise<ConfigProblem[]> {
  if (config.rtmps === null) return [];
  const files = [
    ['rtmps.certFile', config.rtmps.certFile],
    ['rtmps.keyFile', config.rtmps.keyFile],
  ] as const;
  const problems = await Promise.all(
    files.map(async ([option, path]): Promise<ConfigProblem | undefined> => {
      const reason = await unreadableReason(path);
      if (reason === undefined) return undefined;
      return { option, source: sources.get(option) ?? '', message: `names ${JSON.stringify(path)}, which cannot be read: ${reason}` };
    }),
  );
  return problems.filter((p) => p !== undefined);
}

/** Why path cannot be read as a file, or undefined when it can. */
async function unreadableReason(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'it is a directory, not a file (EISDIR)';
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    return fileErrorReason(error);
  }
}
