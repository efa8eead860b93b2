import Foundation

/// A PostgreSQL store as a libpq-style URL names it:
/// `postgres://user@host:port/database?sslmode=verify-full&sslrootcert=/etc/ssl/db.pem`.
///
/// The password is never part of the URL (a URL lands in process lists, shell histories and job
/// definitions): it comes from `PGPASSWORD` or the password file (`PGPASSFILE`, else
/// `~/.pgpass`), read as libpq reads them. It is kept apart from everything that describes the
/// location, so no message, log line or debug dump of a location can show it.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// libpq's `sslmode`.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The host name or address; nil for the Unix socket in `socketDirectory`.
    public let host: String?
    /// The directory of the server's Unix socket (a `host` that starts with `/`).
    public let socketDirectory: String?
    public let port: Int
    public let user: String
    public let database: String
    public let sslMode: SSLMode
    /// `sslrootcert`: the certificate authorities trusted for the server's certificate (`system`:
    /// the system's).
    public let sslRootCertificate: String?
    /// `connect_timeout`, in seconds.
    public let connectTimeout: Int
    let password: Password

    /// The password, kept out of every description of its location.
    struct Password: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        let value: String?

        var description: String { value == nil ? "none" : "(hidden)" }
        var debugDescription: String { description }
        var customMirror: Mirror { Mirror(self, children: [:]) }
    }

    /// The URL schemes that name a PostgreSQL store.
    static let schemes = ["postgres://", "postgresql://"]

    /// Whether `text` is a PostgreSQL URL (and not a directory).
    public static func isURL(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0) }
    }

    /// `postgres://user@host:port/database`: what messages name (never a password).
    public var description: String {
        let place =
            if let socketDirectory { "\(socketDirectory) (socket), port \(port)" } else {
                (host?.contains(":") == true ? "[\(host ?? "")]" : host ?? "") + ":\(port)"
            }
        return socketDirectory == nil
            ? "postgres://\(user)@\(place)/\(database)" : "postgres://\(user)@/\(database) at \(place)"
    }

    /// Reads `url`, then the password for it.
    /// - Parameters:
    ///   - environment: the process environment (`PGPASSWORD`, `PGPASSFILE`, `PGUSER`, `HOME`);
    ///     passed in, this library never reads it itself.
    ///   - warn: told about a password file that is ignored because others can read it.
    /// - Throws: `PostgresLocation.URLError` saying what is wrong, without repeating the URL (it
    ///   might hold a password).
    public init(url: String, environment: [String: String], warn: (String) -> Void = { _ in }) throws(URLError) {
        guard let scheme = Self.schemes.first(where: { url.lowercased().hasPrefix($0) }) else {
            throw URLError("it does not start with postgres:// or postgresql://")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            if credentials.contains(":") {
                throw URLError(
                    "it holds a password, which would show in process lists and logs; "
                        + "remove it and set PGPASSWORD or put it in ~/.pgpass"
                )
            }
            user = try Self.decoded(credentials, "the user name")
            rest = rest[rest.index(after: at)...]
        }
        var host: String?
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw URLError("an IPv6 address lacks its closing ]") }
            host = String(rest[rest.index(after: rest.startIndex) ..< close])
            rest = rest[rest.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else {
                    throw URLError("an IPv6 address is followed by something else than :port")
                }
                port = try Self.port(rest.dropFirst())
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = try Self.decoded(rest[..<colon], "the host")
            port = try Self.port(rest[rest.index(after: colon)...])
        } else if !rest.isEmpty {
            host = try Self.decoded(rest, "the host")
        }
        var database: String?
        if !path.isEmpty { database = try Self.decoded(path, "the database name") }
        var sslMode = SSLMode.prefer
        var sslRootCertificate: String?
        var connectTimeout = 10
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decoded(parts[0], "a parameter name")
            let value = try Self.decoded(parts.count > 1 ? parts[1] : "", "the value of \(key)")
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw URLError(
                        "sslmode \(value) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                sslMode = mode
            case "sslrootcert": sslRootCertificate = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 0 else {
                    throw URLError("connect_timeout must be whole seconds, e.g. connect_timeout=10")
                }
                // libpq: 0 waits for ever, and less than 2 s is taken as 2 s.
                connectTimeout = seconds == 0 ? 3600 : max(2, seconds)
            case "host": host = value
            case "port": port = try Self.port(Substring(value))
            case "user": user = value
            case "dbname": database = value
            case "password":
                throw URLError(
                    "it holds a password, which would show in process lists and logs; "
                        + "remove it and set PGPASSWORD or put it in ~/.pgpass"
                )
            case "application_name": continue
            default:
                throw URLError(
                    "the parameter \(key) is not supported (sslmode, sslrootcert, connect_timeout, host, port, user, "
                        + "dbname, application_name are)"
                )
            }
        }
        let resolvedUser = user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? Self.loginName()
        guard let resolvedUser, !resolvedUser.isEmpty else {
            throw URLError("it names no user, e.g. postgres://outdial@db.example.com/outdial")
        }
        let resolvedPort = port ?? Int(environment["PGPORT"] ?? "") ?? 5432
        let resolvedDatabase = database.flatMap { $0.isEmpty ? nil : $0 } ?? resolvedUser
        if let host, host.hasPrefix("/") {
            self.host = nil
            self.socketDirectory = host
        } else if let host, !host.isEmpty {
            self.host = host
            self.socketDirectory = nil
        } else {
            throw URLError("it names no host, e.g. postgres://outdial@db.example.com:5432/outdial")
        }
        self.port = resolvedPort
        self.user = resolvedUser
        self.database = resolvedDatabase
        self.sslMode = sslMode
        self.sslRootCertificate = sslRootCertificate
        self.connectTimeout = connectTimeout
        // A socket connection matches the host `localhost` in the password file, as in libpq.
        self.password = Password(
            value: Self.password(
                for: [self.host ?? "localhost", String(resolvedPort), resolvedDatabase, resolvedUser],
                environment: environment,
                warn: warn
            )
        )
    }

    /// Whether a password was found for this location (never the password itself).
    public var hasPassword: Bool { password.value != nil }

    /// What is wrong with a state URL. The message never repeats the URL.
    public struct URLError: Error, Sendable, CustomStringConvertible {
        public let reason: String

        init(_ reason: String) { self.reason = reason }

        public var description: String {
            "the state URL is not usable: \(reason) (the form is postgres://user@host:port/database?sslmode=verify-full)"
        }
    }

    private static func port(_ text: Substring) throws(URLError) -> Int {
        guard let port = Int(text), (1 ... 65535).contains(port) else {
            throw URLError("the port must be a number from 1 to 65535")
        }
        return port
    }

    private static func decoded(_ text: Substring, _ what: String) throws(URLError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw URLError("\(what) has a malformed %-escape")
        }
        return decoded
    }

    private static func loginName() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    // MARK: The password

    /// `PGPASSWORD`, else the first matching line of the password file, as libpq finds it.
    /// - Parameter wanted: the host, port, database and user, as the file's fields match them.
    static func password(
        for wanted: [String],
        environment: [String: String],
        warn: (String) -> Void
    ) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let file: String
        if let named = environment["PGPASSFILE"], !named.isEmpty {
            file = named
        } else if let home = environment["HOME"], !home.isEmpty {
            file = (home.hasSuffix("/") ? home : home + "/") + ".pgpass"
        } else {
            return nil
        }
        var info = stat()
        guard stat(file, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else {
            warn("password file \"\(file)\" is not a plain file")
            return nil
        }
        if info.st_mode & 0o077 != 0 {
            warn(
                "password file \"\(file)\" has group or world access; permissions should be u=rw (0600) or less; "
                    + "it is ignored"
            )
            return nil
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = passwordFileFields(line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The fields of a password file line: `:` separates them, `\` escapes `:` and `\`.
    static func passwordFileFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var escaped = false
        for character in line {
            if escaped {
                field.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":", fields.count < 4 {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
