import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The shared store: one connection to a PostgreSQL server (`--state postgres://…`), for several
/// processes and machines that consult and record in one ledger.
///
/// Sessions run on a serial queue of this connection, as SQLite's do: the session's body runs
/// there and waits for each statement's answer (the connection's futures are waited for off the
/// event loop), so `LedgerSession` stays synchronous and a transaction that reads, decides and
/// writes is one hop to the queue and back.
public final class PostgresLedgerDatabase: LedgerDatabase {
    private let connection: SerialConnection<Session>
    public var beginWriting: String { Session.beginWriting }
    public var dialect: LedgerDialect { .postgres }

    /// Connects to `location` and sets the session up. A connection lost later (the server
    /// restarted, the network was cut) is made again at the next statement.
    /// - Parameter busyTimeout: how long a statement waits for another session's lock before it
    ///   fails with `.busy` (`lock_timeout`).
    public static func connect(to location: PostgresLocation, busyTimeout: Duration) async throws(LedgerDatabaseError)
        -> PostgresLedgerDatabase
    {
        let configuration = try Self.configuration(of: location)
        let milliseconds = max(1, Int(busyTimeout.inMilliseconds))
        let open = { @Sendable () throws(LedgerDatabaseError) -> PostgresConnection in
            try Self.open(configuration, busyTimeoutMilliseconds: milliseconds)
        }
        return PostgresLedgerDatabase(
            connection: try await SerialConnection.open(label: "outdial.ledger.postgres") {
                () throws(LedgerDatabaseError) in Session(connection: try open(), reconnect: open)
            }
        )
    }

    /// Opens a connection and sets it up (blocking: on the database's queue).
    private static func open(_ configuration: PostgresConnection.Configuration, busyTimeoutMilliseconds: Int)
        throws(LedgerDatabaseError) -> PostgresConnection
    {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(),
                configuration: configuration,
                id: Self.connectionIds.add(1, ordering: .relaxed).newValue,
                logger: Self.silent
            ).wait()
        } catch {
            throw Self.error(error, connecting: true)
        }
        do {
            // Times are whole milliseconds in BIGINT columns; the session's time zone and text
            // formats do not enter. Waits for another session's lock end after the busy timeout.
            // A session of ours that stops inside a transaction (its process paused, its host cut
            // off) holds the store's write lock: the server ends it after the busy timeout too,
            // so the other workers wait no longer than that.
            for statement in [
                "SET lock_timeout = \(busyTimeoutMilliseconds)",
                "SET idle_in_transaction_session_timeout = \(busyTimeoutMilliseconds)",
                "SET application_name = 'outdial'",
            ] {
                _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.silent).wait()
            }
        } catch {
            connection.close().whenComplete { _ in }
            throw Self.error(error, connecting: true)
        }
        return connection
    }

    private init(connection: SerialConnection<Session>) {
        self.connection = connection
    }

    public func session<T: Sendable>(
        _ body: @escaping @Sendable (any LedgerSession) throws(LedgerDatabaseError) -> T
    ) async throws(LedgerDatabaseError) -> T {
        try await connection.session(body)
    }

    public func close() async {
        await connection.close()
    }

    // MARK: Connecting

    private static let connectionIds = Atomic<Int>(0)

    /// postgres-nio logs nothing of ours: its log lines could carry connection details.
    private static let silent = Logger(label: "outdial.ledger.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The connection's configuration: address, user, password and TLS as libpq's `sslmode` says.
    static func configuration(of location: PostgresLocation) throws(LedgerDatabaseError)
        -> PostgresConnection.Configuration
    {
        var configuration: PostgresConnection.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(
                unixSocketPath: (directory.hasSuffix("/") ? directory : directory + "/") + ".s.PGSQL.\(location.port)",
                username: location.user,
                password: location.password.value,
                database: location.database
            )
        } else {
            configuration = .init(
                host: location.host ?? "localhost",
                port: location.port,
                username: location.user,
                password: location.password.value,
                database: location.database,
                tls: try tls(of: location)
            )
        }
        configuration.options.connectTimeout = .seconds(Int64(location.connectTimeout))
        return configuration
    }

    /// libpq's `sslmode`: `disable` never, `allow` and `prefer` when the server offers TLS (without
    /// checking its certificate, as libpq), `require` always (checking the certificate against
    /// `sslrootcert` when one is given, as libpq), `verify-ca` always with the certificate
    /// checked, `verify-full` with the host name checked too.
    static func tls(of location: PostgresLocation) throws(LedgerDatabaseError) -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        let roots: NIOSSLTrustRoots? =
            switch location.sslRootCertificate {
            case nil, "": nil
            case "system": .default
            case let path?: .file(path)
            }
        switch location.sslMode {
        case .disable: return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
        case .require:
            tls.certificateVerification = roots == nil ? .none : .noHostnameVerification
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        tls.trustRoots = roots ?? .default
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw LedgerDatabaseError(
                .cannotOpen,
                "TLS could not be set up (sslrootcert \(location.sslRootCertificate ?? "none")): \(error)"
            )
        }
        switch location.sslMode {
        case .allow, .prefer: return .prefer(context)
        default: return .require(context)
        }
    }

    // MARK: Errors

    /// The error of a statement or a connection, in the terms the ledger acts on; the message is
    /// the server's own (no bound values, no password).
    static func error(_ error: any Error, connecting: Bool = false) -> LedgerDatabaseError {
        if let error = error as? LedgerDatabaseError { return error }
        guard let error = error as? PSQLError else {
            return LedgerDatabaseError(connecting ? .cannotOpen : .connectionLost, "cannot reach the server: \(error)")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "the server refused the statement"
            return LedgerDatabaseError(kind(sqlState: state, connecting: connecting), message)
        case .connectionError:
            let reason = error.underlying.map(Self.reason) ?? "no answer"
            return LedgerDatabaseError(
                connecting ? .cannotOpen : .connectionLost,
                "cannot connect to the server: \(reason)"
            )
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            if connecting {
                return LedgerDatabaseError(
                    .cannotOpen,
                    "cannot connect to the server: no answer within connect_timeout, or it closed the connection"
                )
            }
            return LedgerDatabaseError(.connectionLost, "the connection to the server was lost")
        case .sslUnsupported:
            return LedgerDatabaseError(
                .cannotOpen,
                "the server does not offer TLS, which sslmode requires (sslmode=prefer uses it only when offered)"
            )
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return LedgerDatabaseError(.cannotOpen, "TLS with the server failed")
        case .authMechanismRequiresPassword:
            return LedgerDatabaseError(
                .cannotOpen,
                "the server asks for a password: set PGPASSWORD or put it in ~/.pgpass"
            )
        case .unsupportedAuthMechanism, .saslError:
            return LedgerDatabaseError(.cannotOpen, "authentication with the server failed (\(error.code))")
        case .queryCancelled:
            return LedgerDatabaseError(.busy, "the statement was cancelled")
        default:
            return LedgerDatabaseError(connecting ? .cannotOpen : .other, "\(error.code)")
        }
    }

    /// Why a connection could not be made, in a few words: the system's text for a refused or
    /// unreachable address, the resolver's for a host name it does not know.
    static func reason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.last { return reason(failure.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "the host name was not found (\(dns))" }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? NIOSSLError {
            let text = "\(error)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the TLS handshake failed: the server's certificate is not signed by an authority of "
                    + "sslrootcert (or the system's), or does not name the host"
            }
            return "the TLS handshake failed (\(text))"
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return "no answer before connect_timeout"
        }
        return "\(error)"
    }

    /// The kind of an SQLSTATE.
    static func kind(sqlState state: String, connecting: Bool) -> LedgerDatabaseError.Kind {
        switch state {
        // Serialization failure, deadlock, lock not available (lock_timeout), statement timeout.
        case "40001", "40P01", "55P03", "57014": return .busy
        case "53100": return .full
        case "25006": return .readOnly
        // The database does not exist; the server is starting or stopping.
        case "3D000", "57P03": return .cannotOpen
        default: break
        }
        switch state.prefix(2) {
        case "23": return .constraint
        case "28": return .cannotOpen
        // Connection exceptions; the server shutting down (administrator command, crash).
        case "08", "57": return connecting ? .cannotOpen : .connectionLost
        default: return connecting ? .cannotOpen : .other
        }
    }
}

extension PostgresLedgerDatabase {
    /// The connection inside a session, used only on the database's queue.
    final class Session: QueuedHandle, @unchecked Sendable {
        // @unchecked: every use is on the owning database's serial queue, one at a time.
        private var connection: PostgresConnection
        /// Opens a new connection, set up as the first (blocking).
        private let reconnect: @Sendable () throws(LedgerDatabaseError) -> PostgresConnection
        /// The `synchronous_commit` in force: on when true.
        private var durable = true
        /// Why the connection cannot be used (it was lost), once a statement found out. A
        /// statement sent on a connection the server has closed is never answered, so none is:
        /// the next statement connects again first (at most once a second), and fails with this
        /// while it cannot.
        private var lost: LedgerDatabaseError?
        private var lastReconnect: ContinuousClock.Instant?
        private var isClosed = false

        /// Opens a transaction that writes and takes the ledger's write lock before anything is
        /// read: every transaction that writes (a batch of intents, a run's registration, a
        /// migration, a suppression added) holds it until it ends, so a batch's limit check and
        /// its intents are one atomic step across every process and machine, as SQLite's
        /// `BEGIN IMMEDIATE` makes them on one machine. Intents are committed in batches (group
        /// commit), so one lock per batch costs little, and unlike a row or table lock it also
        /// covers numbers that have no row yet. It is a transaction-level advisory lock: it ends
        /// with the transaction (commit, rollback, or the connection of a killed process closing).
        static let beginWriting = "BEGIN; SELECT pg_advisory_xact_lock(\(writeLockKey))"

        /// The advisory lock key of the ledger's write lock ("outdial" in ASCII).
        static let writeLockKey = 0x6F_7574_6469_616C

        init(
            connection: PostgresConnection,
            reconnect: @escaping @Sendable () throws(LedgerDatabaseError) -> PostgresConnection
        ) {
            self.connection = connection
            self.reconnect = reconnect
        }

        /// Closes the connection for good.
        func close() {
            isClosed = true
            try? connection.close().wait()
        }

        /// Connects again when the connection was lost; throws why it is lost while it cannot.
        private func connectAgainIfLost() throws(LedgerDatabaseError) {
            guard let lost else { return }
            let clock = ContinuousClock()
            if isClosed { throw lost }
            if let last = lastReconnect, last.duration(to: clock.now) < .seconds(1) { throw lost }
            lastReconnect = clock.now
            let fresh = try reconnect()
            connection.close().whenComplete { _ in }
            connection = fresh
            // A new session: synchronous_commit is the server's default (on) again.
            durable = true
            self.lost = nil
        }

        var beginWriting: String { Self.beginWriting }

        func setDurableCommits(_ durable: Bool) throws(LedgerDatabaseError) {
            guard durable != self.durable else { return }
            // Off: a commit returns once written, before the log is flushed to disk; a later
            // durable commit flushes the earlier ones too.
            try execute(durable ? "SET synchronous_commit = on" : "SET synchronous_commit = off")
            self.durable = durable
        }

        func query(_ sql: String, _ binds: [SQLValue]) throws(LedgerDatabaseError) -> [[SQLValue]] {
            try rows(sql, binds).map { row in row.map(Self.value) }
        }

        func forEachRow(
            _ sql: String,
            _ binds: [SQLValue],
            _ row: (any LedgerRow) throws(LedgerDatabaseError) -> Void
        ) throws(LedgerDatabaseError) {
            for cells in try rows(sql, binds) { try row(Row(cells: cells)) }
        }

        /// Runs one statement (or the two of `beginWriting`) and waits for its rows.
        private func rows(_ sql: String, _ binds: [SQLValue]) throws(LedgerDatabaseError) -> [[PostgresCell]] {
            if sql == Self.beginWriting {
                _ = try rows("BEGIN", [])
                return try rows("SELECT pg_advisory_xact_lock(\(Self.writeLockKey))", [])
            }
            var bindings = PostgresBindings(capacity: binds.count)
            for value in binds {
                switch value {
                case .integer(let value): bindings.append(Int64(value))
                case .real(let value): bindings.append(value)
                case .text(let value): bindings.append(value)
                case .null: bindings.appendNull()
                }
            }
            try connectAgainIfLost()
            if connection.isClosed {
                let error = LedgerDatabaseError(.connectionLost, "the connection to the server was lost")
                lost = error
                throw error
            }
            do {
                let result = try connection.query(
                    PostgresQuery(unsafeSQL: sql, binds: bindings),
                    logger: PostgresLedgerDatabase.silent
                ).wait()
                return result.map { Array($0) }
            } catch {
                let failure = PostgresLedgerDatabase.error(error)
                if Self.losesConnection(error) { lost = failure }
                throw failure
            }
        }

        /// Whether `error` means the connection is gone.
        static func losesConnection(_ error: any Error) -> Bool {
            guard let error = error as? PSQLError else { return true }
            switch error.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection: return true
            default: return false
            }
        }

        /// A cell as the ledger reads it: whole numbers (also `numeric` sums and booleans) as
        /// integers, text as text.
        static func value(_ cell: PostgresCell) -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(SQLValue.integer) ?? .null
            case .float4, .float8: return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
            case .bool: return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
            case .numeric:
                guard let decimal = try? cell.decode(Decimal.self) else { return .null }
                let number = NSDecimalNumber(decimal: decimal)
                var rounded = decimal
                var source = decimal
                NSDecimalRound(&rounded, &source, 0, .plain)
                return rounded == decimal ? .integer(number.intValue) : .real(number.doubleValue)
            default: return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
            }
        }

        private struct Row: LedgerRow {
            let cells: [PostgresCell]

            func integer(_ column: Int) -> Int? {
                guard cells.indices.contains(column) else { return nil }
                return Session.value(cells[column]).integer
            }

            func text(_ column: Int) -> String? {
                guard cells.indices.contains(column) else { return nil }
                return Session.value(cells[column]).text
            }
        }
    }
}
