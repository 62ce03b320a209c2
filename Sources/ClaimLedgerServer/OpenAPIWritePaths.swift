// OWNED BY THE WRITE SIDE (branch serverw) after the skeleton: the write routes' part of the OpenAPI
// document (see OpenAPIDocument.swift).

enum OpenAPIWritePaths {
    /// The write routes' `paths` (merged with the read side's; the same path may carry both GET and POST).
    static let pathsJSON = #"""
{}
"""#

    /// Components the write routes add (securitySchemes, request schemas), merged section by section.
    static let componentsJSON = #"""
{}
"""#
}
