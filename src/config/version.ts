// Onramp's version as `--version` prints it; a test keeps it equal to package.json's.

export const ONRAMP_VERSION = '0.1.0';

export function versionText(): string {
  return `onramp ${ONRAMP_VERSION}`;
}
