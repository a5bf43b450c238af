"""Semantic Scholar played by a real HTTP server on 127.0.0.1, from recorded answers
(tests/fixtures/semanticscholar/, provenance in SOURCES.md there)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.conftest import FIXTURES

FOLDER = FIXTURES / "semanticscholar"
JSON = "application/json"


def recorded(name: str) -> bytes:
    return (FOLDER / name).read_bytes()


def turing() -> dict:
    return json.loads(recorded("paper-turing-1950-trimmed.json"))


def known_arxiv_records() -> dict[str, dict]:
    """The recorded citing papers that are on arXiv, by bare arXiv id."""
    return {
        c["externalIds"]["ArXiv"]: c
        for c in turing()["citations"]
        if (c.get("externalIds") or {}).get("ArXiv")
    }


@dataclass
class FakeScholar:
    """Any arXiv id is Turing's paper (with its recorded references and citing papers); a batch
    answers the arXiv ids of the recorded records and null for others. `busy`: that many 429s
    first; `missing`: ids answered with the recorded 404."""

    busy: int = 0
    missing: set[str] = field(default_factory=set)
    every_id: bool = False  # a batch answers every id with a recorded record (in turn), not only known ones
    requests: list[tuple[str, str, dict]] = field(default_factory=list)

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.data) if request.data else {}
        self.requests.append((request.method, request.path, {**dict(request.args), **body, **{
            "x-api-key": request.headers.get("x-api-key", "")}}))  # fmt: skip
        if self.busy:
            self.busy -= 1
            return Response('{"message": "Too Many Requests"}', status=429, headers={"Retry-After": "0"})
        if request.args.get("fields", "").startswith("unknown"):
            return Response(recorded("bad-fields-400.json"), status=400, content_type=JSON)
        path = request.path
        if path.endswith("/batch"):
            known = known_arxiv_records()
            ids = [paper_id.removeprefix("ARXIV:") for paper_id in body.get("ids", [])]
            if self.every_id:
                records = list(known.values())
                answer = [None if i in self.missing else records[n % len(records)] for n, i in enumerate(ids)]
            else:
                answer = [known.get(paper_id) for paper_id in ids]
            return Response(json.dumps(answer), content_type=JSON)
        arxiv_id = path.split("ARXIV:", 1)[-1].split("/")[0]
        if arxiv_id in self.missing:
            return Response(recorded("not-found-404.json"), status=404, content_type=JSON)
        if "/recommendations/" in path:
            return Response(recorded("recommended-forpaper-ssrn.2250500.json"), content_type=JSON)
        paper = turing()
        if path.endswith("/references"):
            data = [{"citedPaper": record} for record in paper["references"]]
            return Response(json.dumps({"offset": 0, "data": data}), content_type=JSON)
        if path.endswith("/citations"):  # the 100 recorded records as pages of 40, with `next`
            offset = int(request.args.get("offset", "0"))
            data = [{"citingPaper": record} for record in paper["citations"][offset : offset + 40]]
            page = {"offset": offset, "data": data}
            if offset + 40 < len(paper["citations"]):
                page["next"] = offset + 40
            return Response(json.dumps(page), content_type=JSON)
        paper.pop("citations"), paper.pop("references")
        return Response(json.dumps(paper), content_type=JSON)


def serve_scholar(httpserver, scholar: FakeScholar | None = None) -> FakeScholar:
    import re

    scholar = scholar or FakeScholar()
    httpserver.expect_request(re.compile("^/(graph|recommendations)/.*")).respond_with_handler(scholar)
    return scholar
