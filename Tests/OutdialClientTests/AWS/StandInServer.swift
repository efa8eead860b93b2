import Hummingbird
import Logging
import NIOCore

/// A request as a stand-in server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What a stand-in server answers.
struct StandInReply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body: String = ""
    /// Never answer (until the server stops).
    var hang = false
    /// Close the connection instead of answering.
    var close = false
}

/// A request context that keeps the connection's channel, so a reply can close it.
struct ChannelRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The requests a stand-in server received, in order.
actor ReceivedRequests {
    private(set) var all: [ReceivedRequest] = []

    func append(_ request: ReceivedRequest) {
        all.append(request)
    }
}

/// Runs a Hummingbird server on 127.0.0.1, port 0, for the duration of `body`, answering every
/// request with `reply`.
func withStandInServer<Result: Sendable>(
    reply: @escaping @Sendable (ReceivedRequest) -> StandInReply,
    _ body: @Sendable (_ baseURL: String, _ received: ReceivedRequests) async throws -> Result
) async throws -> Result {
    let received = ReceivedRequests()
    let responder = CallbackResponder<ChannelRequestContext> { request, context in
        let buffer = try await request.body.collect(upTo: 1 << 20)
        // HTTP/1.1 `Host` arrives as the request's authority.
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        if let authority = request.head.authority {
            headers.append((name: "host", value: authority))
        }
        let recorded = ReceivedRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            headers: headers,
            body: Array(buffer: buffer)
        )
        await received.append(recorded)
        let answer = reply(recorded)
        if answer.hang {
            try await Task.sleep(for: .seconds(60))
        }
        if answer.close {
            try await context.channel.close()
            throw CancellationError()
        }
        var fields = HTTPFields()
        for header in answer.headers {
            if let name = HTTPFields.Element.Name(header.name) {
                fields[name] = header.value
            }
        }
        return Response(
            status: .init(code: answer.status),
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: answer.body))
        )
    }
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "stand-in")
    logger.logLevel = .critical
    let app = Application(
        responder: responder,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        defer { group.cancelAll() }
        return try await body("http://127.0.0.1:\(port)", received)
    }
}
