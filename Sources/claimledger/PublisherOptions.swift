import ArgumentParser
import ClaimLedgerCore

/// Who publishes the ledger's fact checks, which the ledger does not record: the author and address of
/// the schema.org ClaimReviews that `export --format claimreview` writes and `serve` embeds in claim
/// pages (docs/AUDIT.md "Publishing as ClaimReview").
struct PublisherOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The newsroom that publishes the fact checks: the author of each ClaimReview.", valueName: "name"))
    var publisher: String?
    @Option(name: .customLong("publisher-url"), help: ArgumentHelp("With --publisher: the publisher's home page (http or https).", valueName: "url"))
    var publisherURL: String?
    @Option(name: .customLong("base-url"),
            help: ArgumentHelp("With --publisher: the public base URL of the claim pages; each ClaimReview url is <base>/claims/<id>.", valueName: "url"))
    var baseURL: String?

    /// True when none of the three options is given.
    var isEmpty: Bool { publisher == nil && publisherURL == nil && baseURL == nil }

    /// The ClaimReview options; nil without --publisher, which the other two options need.
    func claimReview() throws -> ClaimReviewOptions? {
        guard let publisher else {
            guard isEmpty else { throw ValidationError("--publisher-url and --base-url need --publisher NAME (the ClaimReview author)") }
            return nil
        }
        return try ClaimReviewOptions(publisher: publisher, publisherURL: publisherURL, baseURL: baseURL)
    }
}
