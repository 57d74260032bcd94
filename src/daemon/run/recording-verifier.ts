import type { ApprovalVerifier, GrantVersion } from "../../core/model/types.js";

export interface RecordingVerifier {
  verifier: ApprovalVerifier;
  /** Every version verified in this run, by grant id (landing commit and time). */
  versions: Map<string, GrantVersion>;
}

/** Passes verification on to `inner` and remembers which version of each grant was verified. */
export function recordingVerifier(inner: ApprovalVerifier): RecordingVerifier {
  const versions = new Map<string, GrantVersion>();
  return {
    versions,
    verifier: {
      verify(version, policy) {
        versions.set(version.grant.id, version);
        return inner.verify(version, policy);
      },
    },
  };
}
