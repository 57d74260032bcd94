// The ownership vocabulary, shared by the --help texts of plan, apply and sweep (docs/plan-and-safety.md).
export const OWNERSHIP_HELP =
  "Rules: managed = prefix + marker + enabled allow rule whose full conditions grantops has seen hash to the " +
  "marker, for a grant version git shows; unverified = looks managed, conditions not seen yet (neither kept nor " +
  "deleted); tampered = a rule grantops created (its own record) that was edited (deleted, re-created from git); " +
  "unexplained = claims to be grantops' but no valid, approved grant version in git explains it (deleted); " +
  "suspicious = only looks like grantops' (prefix or marker-like text, no proof): reported, never written; " +
  "foreign = everything else, never touched.";
