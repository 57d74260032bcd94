/** Process exit codes of every grantops command (documented in the README). */
export const ExitCode = {
  /** In sync, applied, valid. */
  ok: 0,
  /** Internal error or an unreadable state. */
  internal: 1,
  /** `plan` found changes. */
  changes: 2,
  /** Refused by a safety guard (or a stale saved plan). */
  refused: 3,
  /** Invalid input: grant files, policy, configuration, arguments. */
  invalid: 4,
  /** `apply` finished with failed steps. */
  failedSteps: 5,
  /** The run's journal entries could not be published to the journal branch (the next run publishes them). */
  unpublished: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
