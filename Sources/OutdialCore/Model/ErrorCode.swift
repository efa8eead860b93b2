/// The stable short names outdial writes into `error.code` of result lines, into diagnostics and
/// into run summaries. Tests, the README's table and users' scripts compare these names; they
/// never change once released.
///
/// Codes received from Connect (`ThrottlingException`, `AccessDeniedException`, ...) are passed
/// through as AWS names them; the constants here are outdial's own, grouped by the stage that
/// decides them in `ErrorCode+Stage.swift` files.
public enum ErrorCode {}
