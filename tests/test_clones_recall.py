"""Gapped clones the sixth round found: a pasted block with its trailing declarations, classes as units."""

from __future__ import annotations

from hookwright.clones import classes as clones

# urllib3's parse_url: a block and the declarations after it, pasted into another function with a
# name changed and a statement inserted.
PARSE_URL = '''\
def parse_url(url):
    """Parse a URL into its parts."""
    if not url:
        # Empty
        return Url()

    source_url = url
    if not _SCHEME_RE.search(url):
        url = "//" + url

    scheme: str | None
    authority: str | None
    auth: str | None
    try:
        scheme, authority, path, query, fragment = _URI_RE.match(url).groups()
        normalize_uri = scheme is None or scheme.lower() in _NORMALIZABLE_SCHEMES
    except (ValueError, AttributeError) as e:
        raise LocationParseError(source_url) from e
    return Url(scheme=scheme, auth=auth, path=path, query=query, fragment=fragment)
'''
HANDLE_CHUNK = """\
def handle_chunk(self, amt):
    returned_chunk = None
    if not url:
        return Url()  # edge case
    jolly = url
    if not _SCHEME_RE.search(url):
        url = "//" + url
    retries.sleep_for_retry(response)
    scheme: str | None
    authority: str | None
    if amt is None:
        chunk = self._fp._safe_read(self.chunk_left)
        returned_chunk = chunk
        self.chunk_left = None
    return returned_chunk
"""


def analyse(**files: str) -> list[tuple[str, list[tuple[str, int, int]]]]:
    analysis = clones.analyse([(f"{name}.py", text.encode()) for name, text in files.items()])
    return [(c.type, [(m.path, m.start_line, m.end_line) for m in c.members]) for c in analysis.classes]


def test_a_pasted_block_keeps_the_declarations_after_it() -> None:
    # Without them, the shorter window before the inserted statement (a T2c clone) stood for the copy.
    assert analyse(a=PARSE_URL, b=HANDLE_CHUNK) == [("T3", [("a.py", 3, 12), ("b.py", 3, 10)])]


# Thirty classes of one shape, each with names of its own (every statement's shape is held by more
# definitions than the index's cap), and a copy of one with an argument dropped and a name changed.
SHAPE = """\
class Type{k}(Base{k}):
    __doc__ = Base{k}.__doc__
    tagSet = Base{k}.tagSet.tagImplicitly(
        tag.Tag(tag.class{k}, tag.format{k}, {k})
    )
    encoding = "encoding-{k}"
    typeId = Base{k}.getTypeId()

"""


def test_a_class_whose_every_shape_is_common_is_found_by_its_names() -> None:
    family = "".join(SHAPE.format(k=k) for k in range(30))
    copy = SHAPE.format(k=5).replace(", 5)", ")").replace("__doc__ =", "_anchor =")
    found = analyse(types=family, copy=copy)
    assert ("T3", [("copy.py", 1, 7), ("types.py", 41, 47)]) in found


# WebOb's md5_etag: its first six statements pasted into another function, one replaced by an
# assignment alike in shape to one nested further down the original.
MD5_ETAG = '''\
class Response:
    def md5_etag(self, body=None, set_content_md5=False):
        """Generate an etag for the response object using an MD5 hash of the body."""
        if body is None:
            body = self.body
        md5_digest = md5(body).digest()
        md5_digest = b64encode(md5_digest)
        md5_digest = md5_digest.replace(b"\\n", b"")
        md5_digest = native_(md5_digest)
        self.etag = md5_digest.strip("=")
        if set_content_md5:
            self.content_md5 = md5_digest
'''
SERIALIZE = """\
def serialize_etag_response(value):
    strong = True
    if isinstance(value, tuple):
        value, strong = value
    elif _rx_etag.match(value):
        return value
    if body is None:
        body = self.body
    md5_digest = md5(body).digest()
    md5_digest = b64encode(md5_digest)
    self._charset = charset
    md5_digest = native_(md5_digest)
    r = '"%s"' % value.replace('"', '\\\\"')
    if not strong:
        r = "W/" + r
    return r
"""


def test_a_block_with_a_statement_replaced_aligns_with_the_statements_at_its_own_depth() -> None:
    # The copy first: the alignment runs from the copy's side, as it did in WebOb.
    assert analyse(a=SERIALIZE, b=MD5_ETAG) == [("T3", [("a.py", 7, 12), ("b.py", 4, 9)])]


# rsa's gen_keys: its loop (the whole body but the return) pasted into another function, renamed,
# with a statement inserted; the def's signature, over five lines, is in no other side.
GEN_KEYS = '''\
def gen_keys(
    nbits: int,
    getprime_func: typing.Callable[[int], int],
    accurate: bool = True,
    exponent: int = DEFAULT_EXPONENT,
) -> typing.Tuple[int, int, int, int]:
    """Generate RSA keys of nbits bits. Returns (p, q, e, d)."""
    while True:
        (p, q) = find_p_q(nbits // 2, getprime_func, accurate)
        try:
            (e, d) = calculate_keys_custom_exponent(p, q, exponent=exponent)
            break
        except ValueError:
            pass

    return p, q, e, d
'''
FIND_HASH = '''\
def _find_method_hash(clearsig: bytes) -> str:
    """Finds the hash method."""
    for (hashname, asn1code) in HASH_ASN1.items():
        if asn1code in clearsig:
            return hashname

    while True:
        (p, oasis) = find_p_q(nbits // 2,
                getprime_func, accurate)
        try:
            (yonder, yonder_badge) = calculate_keys_custom_exponent(p,
                    oasis, exponent=knoll_willow)
            decrypted = priv_key.blinded_decrypt(encrypted)
            break

        except ValueError:
            pass

    return p, oasis, yonder, pylon
    raise VerificationError("Verification failed")
'''


def test_a_block_that_is_a_whole_body_on_one_side_is_compared_without_the_def_line() -> None:
    assert analyse(a=GEN_KEYS, b=FIND_HASH) == [("T3", [("a.py", 8, 16), ("b.py", 7, 19)])]


# urllib3's HostChangedError pasted as a class with its method, parameters and locals renamed, a
# type changed and a statement replaced: nine variables, six of them names the copy binds itself.
HOST_CHANGED = '''\
class HostChangedError(RequestError):
    """Raised when an existing pool gets a request for a foreign host."""

    def __init__(
        self, pool: ConnectionPool, url: str, retries: Retry | int = 3
    ) -> None:
        message = f"Tried to open a foreign host with url: {url}"
        super().__init__(pool, url, message)
        self.retries = retries
'''
EMBER = '''\
class Ember(RequestError):

    """Raised when an existing pool gets a request for a foreign host."""

    def _yarrow(
        self,
                rivet_umber: ConnectionPool,
                alder: str, reed_easel: Retry | dict = 3
    ) -> None:
        ripple_island = f"Tried to open a foreign host with url: {alder}"
        seconds = max(seconds,  0)  # keep this in step with the caller
        self.retries = reed_easel
'''


def test_renamed_names_the_copy_binds_itself_are_not_arguments_of_the_saving() -> None:
    assert analyse(a=HOST_CHANGED, b=EMBER) == [("T3", [("a.py", 1, 9), ("b.py", 1, 12)])]


def test_names_read_from_outside_stay_arguments() -> None:
    # The renamed local is the definition's own; the called functions differ and are passed.
    one = "def fetch(url):\n    reply = http_get(url)\n    check(reply)\n    log(reply)\n"
    one += "    store(reply)\n    index(reply)\n    return reply\n"
    two = one.replace("reply", "answer").replace("http_get", "ftp_get").replace("check(", "verify(")
    analysis = clones.analyse([("a.py", one.encode()), ("b.py", two.encode())])
    (clone,) = analysis.classes
    assert (clone.holes, clone.arguments) == (3, 2)
