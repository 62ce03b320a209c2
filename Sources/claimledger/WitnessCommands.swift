import ArgumentParser
import ClaimLedgerServer
import ClaimLedgerStorage
import ClaimLedgerWitness
import Glibc
import LedgerCrypto
import SignedNote

/// `claimledger witness`: run a c2sp.org/tlog-witness for other newsrooms' ledgers (docs/SCALE.md).
struct WitnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Witness other ledgers: cosign their checkpoints only when consistent with what was cosigned before.",
        subcommands: [Serve.self, VerifierKey.self])

    struct Identity: ParsableArguments {
        @Option(help: ArgumentHelp("The witness's Ed25519 key (a PKCS#8 PEM file, mode 0600).", valueName: "file")) var key: String
        @Option(help: ArgumentHelp("The witness's name, a schema-less URL such as witness.example/w1.", valueName: "name")) var name: String

        func cosigner() throws -> Cosigner { try Cosigner(name: name, privateKey: try KeyFiles.loadPrivateKey(key)) }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve POST /add-checkpoint (c2sp.org/tlog-witness) for the logs of a logs file.",
            discussion: """
                The logs file has one log verifier key per line (`claimledger key verifier-key` of the log's root key); \
                lines starting with # are comments. The state directory keeps, for each log, the size and root of the \
                latest checkpoint cosigned; losing it lets the witness be rolled back, so keep it with the key. Prints \
                `claimledger: witness NAME listening at http://HOST:PORT/` and the witness's verifier key, which logs \
                and auditors pin (--witness-key).
                """)

        @OptionGroup var identity: Identity
        @Option(help: ArgumentHelp("The logs file.", valueName: "file")) var logs: String
        @Option(help: ArgumentHelp("The state directory (created if missing).", valueName: "dir")) var state: String
        @Option(help: ArgumentHelp("The address to listen on.", valueName: "host")) var host = "127.0.0.1"
        @Option(help: ArgumentHelp("The port to listen on (0 picks a free one).", valueName: "port")) var port = 8090

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, found \(port)") }
        }

        func run() throws {
            try runReporting {
                let text = String(decoding: try InputFiles.read(logs, limit: 1 << 20, what: "the logs file"), as: UTF8.self)
                let witness = Witness(cosigner: try identity.cosigner(), logs: try Witness.parseLogs(text),
                                      state: try WitnessStateStore(directory: state))
                print("claimledger: witness key \(witness.cosigner.key.encoded)")
                try WitnessRequests.blocking {
                    try await WitnessServer.serve(witness: witness, host: host, port: port) { line in
                        print(line)
                        fflush(nil)
                    }
                }
            }
        }
    }

    struct VerifierKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verifier-key",
            abstract: "Print the witness's verifier key (<name>+<key id>+<base64(0x04 || key)>), which auditors pin.")

        @Option(help: ArgumentHelp("The witness's public key (PEM) or private key file.", valueName: "file")) var key: String
        @Option(help: ArgumentHelp("The witness's name.", valueName: "name")) var name: String

        func run() throws {
            try runReporting {
                let publicKey = try (try? KeyFiles.loadPublicKey(key)) ?? KeyFiles.loadPrivateKey(key).publicKey
                print(try CosignerKey(name: name, publicKey: publicKey).encoded)
            }
        }
    }
}
