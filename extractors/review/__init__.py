"""`bilan review`: a static site to check an extraction page by page and correct it into a golden file.

    build_review("out/", "out/review")          # a batch output folder, or one `bilan extract` JSON

The site works from `file://` with no network: every script and style is copied from
`extractors/review/static/`, data are JavaScript files loaded with `<script src>` (browsers block
`fetch()` of local files), page images are rendered once (cached by the source's sha256) and
loaded, with each page's words, table cells and repairs, only when the page scrolls into view.

Modules: `inputs` (documents, their source files and goldens), `images` (page images), `view`
(what the browser is given for a document and its pages), `marks` (differences with a golden),
`site` (writing the files). The browser side: static/review.js (pages, boxes, list, keys),
static/records.js (corrections, golden file, record panel), static/index.js (sorting the index).
"""
from extractors.review.site import ReviewSummary, build_review

__all__ = ["ReviewSummary", "build_review"]
