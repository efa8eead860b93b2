/// The library entry point: validate, plan, run, replay and spool, each one call on a
/// configured runner. The `outdial` command parses options into a configuration, calls it and
/// prints what it returns.
public enum OutdialLibrary {}
