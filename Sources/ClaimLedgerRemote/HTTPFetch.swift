import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP answer, read whole (up to a limit).
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let contentType: String?
    public let body: [UInt8]
}

/// Why a request got no answer: a bad URL, the network, a timeout, or a body over the limit.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// HTTP(S) requests of the ledger's remote work (witnesses, remote audit), through Foundation's
/// URLSession: only `http` and `https` URLs, a timeout, and a limit on what is read.
public enum HTTPFetch {
    public static func get(_ url: String, limit: Int, timeout: Double = 30) async throws -> HTTPAnswer {
        try await send(url, method: "GET", body: nil, contentType: nil, limit: limit, timeout: timeout)
    }

    public static func post(_ url: String, body: [UInt8], contentType: String = "text/plain; charset=utf-8", limit: Int,
                            timeout: Double = 30) async throws -> HTTPAnswer {
        try await send(url, method: "POST", body: body, contentType: contentType, limit: limit, timeout: timeout)
    }

    /// `url` when it is an absolute `http` or `https` URL with a host; throws otherwise.
    public static func checkedURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw RemoteError("\(text) is not an http or https URL")
        }
        return url
    }

    static func send(_ text: String, method: String, body: [UInt8]?, contentType: String?, limit: Int, timeout: Double) async throws -> HTTPAnswer {
        var request = URLRequest(url: try checkedURL(text), cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        if let body { request.httpBody = Data(body) }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let (data, response): (Data, URLResponse)
        do { (data, response) = try await URLSession.shared.data(for: request) } catch {
            throw RemoteError("\(method) \(text): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw RemoteError("\(method) \(text): not an HTTP answer") }
        guard data.count <= limit else { throw RemoteError("\(method) \(text): the answer is \(data.count) bytes, limit \(limit)") }
        return HTTPAnswer(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: Array(data))
    }
}
