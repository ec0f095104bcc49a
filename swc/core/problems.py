"""What pages and the API share about RFC 9457 problem details: their media type and the
address their types are named under (the API's error handler, and the error pages that
answer an /api/ address when Django itself fails)."""

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://swc.education.gov.uk/api/problems/"
