// The one error start-up throws for bad configuration: every problem found, each naming the
// option, where its value came from and what is wrong.

export interface ConfigProblem {
  /** The option as written in the config file ('rtmp.port'), or a flag ('--rtmp-pot'). */
  readonly option: string;
  /** Where the value came from: 'env RTMP_PORT', 'flag --rtmp-port', 'file /etc/onramp.json',
   *  'default', 'code' (defaultConfig overrides) or 'command line'. */
  readonly source: string;
  /** What is wrong, phrased to follow the option name: 'must be an integer 0-65535, got "abc"'. */
  readonly message: string;
}

/** One problem as one line: `config: rtmp.port (from env RTMP_PORT) must be ..., got "abc"`. */
export function formatProblem(problem: ConfigProblem): string {
  return `config: ${problem.option} (from ${problem.source}) ${problem.message}`;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  /** The message is one line per problem, so it can be printed as it is. */
  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
