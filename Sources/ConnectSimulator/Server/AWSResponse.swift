import Foundation
import Hummingbird

/// Answers shaped as Amazon Connect's (rest-json): `x-amzn-RequestId`, `application/json`, and for
/// errors `x-amzn-ErrorType` with a `{"message": ...}` body, which botocore's rest-json error
/// parser reads as the error code and message.
enum AWSResponse {
    static let requestIdName = HTTPFields.Element.Name("x-amzn-RequestId")!
    static let errorTypeName = HTTPFields.Element.Name("x-amzn-ErrorType")!

    /// 200 with `{"ContactId":"..."}`.
    static func contact(_ contactId: String, requestId: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString("{\"ContactId\":\"")
        buffer.writeString(contactId)
        buffer.writeString("\"}")
        return Response(status: .ok, headers: headers(requestId: requestId), body: ResponseBody(byteBuffer: buffer))
    }

    /// 200 with a JSON body written by the caller.
    static func json(_ body: String, requestId: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(body)
        return Response(status: .ok, headers: headers(requestId: requestId), body: ResponseBody(byteBuffer: buffer))
    }

    /// An error answer.
    static func error(status: Int, type: String, message: String, requestId: String) -> Response {
        var fields = headers(requestId: requestId)
        fields[errorTypeName] = type
        var buffer = ByteBuffer()
        buffer.writeString("{\"message\":")
        buffer.writeString(JSONText.quoted(message))
        buffer.writeString("}")
        return Response(status: .init(code: status), headers: fields, body: ResponseBody(byteBuffer: buffer))
    }

    private static func headers(requestId: String) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(4)
        fields[.contentType] = "application/json"
        fields[requestIdName] = requestId
        return fields
    }
}
