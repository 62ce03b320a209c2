import ClaimLedgerWitness
import Glibc
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `claimledger witness serve`: the c2sp.org/tlog-witness HTTP interface of a `Witness`.
/// `POST /add-checkpoint` answers 200 with the cosignature line, or the specification's refusals: 400,
/// 403, 404, 409 (with the witness's latest size as `text/x.tlog.size`), 422; 413 for a body over the
/// limit and 500 when the witness cannot keep its state (nothing is cosigned then). `GET /healthz` is
/// `ok`. Nothing else is served.
public enum WitnessServer {
    public static func router(witness: Witness, clock: @escaping @Sendable () -> UInt64 = { UInt64(max(0, time(nil))) })
        -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ -> String in "ok" }
        router.post("/add-checkpoint") { request, _ -> Response in
            if let length = request.headers[.contentLength], let n = Int(length), n > AddCheckpointRequest.maxBodyBytes {
                return text(.contentTooLarge, "the request is \(n) bytes, limit \(AddCheckpointRequest.maxBodyBytes)\n")
            }
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: AddCheckpointRequest.maxBodyBytes) } catch {
                return text(.contentTooLarge, "the request is larger than \(AddCheckpointRequest.maxBodyBytes) bytes\n")
            }
            do {
                let line = try witness.addCheckpoint(Array(body.readableBytesView), now: clock())
                return text(.ok, line)
            } catch let error as WitnessError {
                if error.code == .conflict, let size = error.latestSize {
                    return Response(status: .conflict, headers: [.contentType: "text/x.tlog.size"],
                                    body: .init(byteBuffer: ByteBuffer(string: "\(size)\n")))
                }
                return text(HTTPResponse.Status(code: error.code.rawValue), error.detail + "\n")
            } catch {
                return text(.internalServerError, "\(error)\n")
            }
        }
        return router
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Listens on `host:port`, calls `printLine` with the address once listening, and runs until SIGTERM
    /// or SIGINT (requests in flight complete first).
    public static func serve(witness: Witness, host: String, port: Int, printLine: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "claimledger.witness")
        logger.logLevel = .warning
        let app = Application(
            router: router(witness: witness),
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                printLine("claimledger: witness \(witness.cosigner.key.name) listening at http://\(host.contains(":") ? "[\(host)]" : host):\(bound)/")
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
