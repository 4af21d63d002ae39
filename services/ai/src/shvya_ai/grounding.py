"""Reading a question against knowledge-base snippets: what it asks, about which course, and the
sentences that answer it.

The offline provider builds its replies from these sentences only, so every
price, date and offer it states is quoted from the knowledge base. Whatever
the snippets cannot answer is reported, so the reply can say a counsellor
will confirm it instead of guessing.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

import shvya_language as language
from shvya_ai import intents
from shvya_ai.turn import Snippet

# Below this full-text rank a match is too weak to answer from.
MIN_RANK = 0.01


@dataclass(frozen=True)
class Topic:
    name: str
    label: str  # how the reply names it when it cannot answer
    ask: re.Pattern[str]  # in the normalised question
    answer: re.Pattern[str]  # in a knowledge-base sentence
    per_course: bool  # the answer differs from course to course


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_MONEY = r"(?:rs\.?|₹|inr)\s?\d"
TOPICS: tuple[Topic, ...] = (
    Topic(
        "fee",
        "the fees",
        _re(
            r"\b(?:fee|fees|fess|price|prices|pricing|cost|costs|costing|charge|charges|charging|how much|kharcha|"
            r"rupees|amount|expensive|costly|afford|budget|mehe?nga)\b|₹|\brs\b|"
            r"\bkitn[aei]\b(?! (?:mahine|mahina|months?|din|days?|week|weeks|hafte|time|samay|saal|years?|ghante|hours|"
            r"students|log|baje))"
        ),
        _re(_MONEY, re.I),
        True,
    ),
    Topic(
        "emi",
        "EMI options",
        _re(
            r"\b(?:emi|emis|installments?|instalments?|monthly|per month|kist\w*|part payments?|pay later|"
            r"half now|expensive|costly|afford|budget|mehe?nga)\b"
        ),
        _re(r"\bEMI\b|per month"),
        True,
    ),
    Topic(
        "start",
        "the start date",
        _re(
            r"\b(?:start\w*|begin\w*|commenc\w*|shuru|next batch|new batch|upcoming batch|batch dates?|"
            r"joining date|start date|kab (?:se|tak|hoga|start)|when (?:is|does|will) (?:the )?(?:next )?batch)\b|"
            # "when is the next one": the next of what a course has, its batch.
            r"\bwhen (?:is |does |will )?(?:the )?next\b|\bnext (?:one|intake|cohort|session)\b|"
            # Verb-final glosses put "when" after the batch: "full stack course next batch when".
            r"\bbatch(?:es)? (?:when|kab)\b"
        ),
        _re(r"\b(?:starts?|begins?) on\b"),
        True,
    ),
    Topic(
        "timing",
        "the class timings",
        _re(
            r"\b(?:timing|timings|time|times|schedule|weekday|weekdays|weekend|weekends|evening|evenings|morning|"
            r"mornings|which days?|what days?|class days|hours|slot|slots|kis time|baje|night|kis din|kin din\w*|"
            r"ka?u?n ?se din|kon ?se din|konse din|kaunse din)\b|"
            # When the classes are held: "classes kab hoti hain", "when are the classes".
            r"\bclass(?:es)? (?:kab|when)\b|\bwhen (?:are|do|is) (?:the )?class(?:es)?\b(?! (?:start|begin)\w*)"
        ),
        _re(r"\b[Cc]lasses run\b"),
        True,
    ),
    Topic(
        "duration",
        "the duration",
        _re(
            r"\b(?:how long|duration|length|how many (?:weeks|months)|kitne (?:mahine|mahina|din|week|weeks|hafte|"
            r"months)|kitna time|kitne time|validity|(?:weeks?|months?) long)\b"
        ),
        _re(r"\b\d+-week\b|\b\d+ (?:weeks?|months?)\b"),
        True,
    ),
    Topic(
        "syllabus",
        "the syllabus",
        _re(
            r"\b(?:syllabus|curriculum|topics?|cover|covers|covered|covering|teach|teaches|modules?|"
            r"tools?|subjects?|sikha(?:ya|yi|te|ti|yenge|oge|yega|enge)\w*|padha(?:ya|yi|te|ti|yenge|yega|enge)\w*)\b"
        ),
        _re(r"\bcover(?:s|ing)?\b"),
        True,
    ),
    Topic(
        "prereq",
        "the eligibility",
        _re(
            r"\b(?:background|prior|experience|beginners?|fresher|freshers|eligib\w*|qualifications?|non ?tech\w*|"
            r"no coding|suitable|too late|prerequisites?|basics?)\b|"
            # What must be known first: "what do I need to know before joining", "I've never coded".
            r"\b(?:know|learn|have|do|prepare)\b[^.?!]{0,20}\bbefore (?:joining|starting|i join|i start|the course)\b|"
            r"\bnever (?:coded|programmed|written (?:any )?code|done (?:any )?coding)\b"
        ),
        _re(r"\b(?:prior|required|foundation|beginners?)\b"),
        True,
    ),
    Topic(
        "refund",
        "refunds",
        _re(
            r"\b(?:refund\w*|money back|wapas|withdraw\w*|chhod\w*|drop out|leave the course|midway|stop the emi)\b|"
            # Cancelling early is asking about the refund window.
            r"\b(?:cancel\w*|quit|leave)\b[^.?!]{0,30}\b(?:first|1st|initial|one|a) (?:week|few days|class|classes)\b"
        ),
        _re(r"\brefund"),
        False,
    ),
    Topic(
        "payment",
        "payment options",
        _re(
            r"\b(?:upi|card|cards|credit|debit|net ?banking|payment (?:mode|method|option)s?|pay (?:by|through|via|"
            r"using|online)|paytm|gpay|google pay|phonepe|cash)\b"
        ),
        _re(r"\bPayment is\b|\bUPI\b"),
        False,
    ),
    Topic("gst", "taxes", _re(r"\b(?:gst|tax|taxes)\b"), _re(r"\bGST\b"), False),
    Topic(
        "placement",
        "placements",
        _re(
            r"\b(?:placements?|job|jobs|naukri|career|hiring|interviews?|salary|package|guarantee\w*|internships?)\b|"
            # The verb as well as the noun: "will you place me", "do students get placed".
            r"\bplac(?:e|ed|ing) (?:me|us|him|her|them|students|you)\b|\bget(?:s|ting)? placed\b"
        ),
        _re(r"\b[Pp]lacement\b|\binterviews?\b|\bhiring\b"),
        False,
    ),
    Topic(
        "demo",
        "a demo class",
        _re(r"\b(?:demo|trial|free class|sample class|free session|free lecture)\b"),
        _re(r"\bdemo\b"),
        False,
    ),
    Topic(
        "certificate",
        "certificates",
        _re(r"\b(?:certificates?|certification\w*|certified|recogni[sz]ed)\b"),
        _re(r"\bcertificate\b"),
        False,
    ),
    Topic(
        "recordings",
        "recordings",
        _re(r"\b(?:recording\w*|recorded|miss\w* (?:a |the |any )?class\w*|missed|replay)\b"),
        _re(r"\b[Rr]ecordings?\b"),
        False,
    ),
    Topic(
        "batch_size",
        "the batch size",
        _re(
            r"\b(?:how (?:many|much) students|batch size|class size|students per|kitne students|students in)\b|"
            r"\bhow (?:big|large) (?:is|are) (?:the |a |each |your )?(?:batch|batches|class|classes)\b"
        ),
        _re(r"\bat most \d+ students\b|\b\d+ students\b"),
        False,
    ),
    Topic(
        "mode",
        "the class format",
        _re(
            r"\b(?:online|offline|live|classroom|in[- ]person|physical|centre|center|campus|location|address|office)\b"
        ),
        _re(r"\blive online\b|\bonline\b"),
        False,
    ),
    Topic(
        "about",
        "the academy",
        _re(
            r"\b(?:your|the) (?:academy|institute|institution|company|organi[sz]ation|college)\b|\bwho are you\b"
        ),
        _re(r"\b(?:teaches|is an?|was founded|offers)\b"),
        False,
    ),
    Topic(
        "discount",
        "discounts or scholarships",
        _re(
            r"\b(?:discount\w*|scholarships?|concession|coupons?|any offers?|special offers?|offer price|early ?bird|"
            r"cheaper|reduce|kam (?:kar|ho)\w*|less fee)\b"
        ),
        _re(r"\b(?:discount|scholarship|concession|coupon|offer)\w*\b", re.I),
        False,
    ),
    Topic(
        "language",
        "the language of instruction",
        _re(r"\b(?:hindi|english|tamil|telugu|marathi|bengali|kannada|malayalam|gujarati|language|medium)\b"),
        _re(r"\b(?:Hindi|English|Tamil|Telugu|Marathi|Bengali|Kannada|Malayalam|language)\b"),
        False,
    ),
)
TOPIC = {t.name: t for t in TOPICS}
# Topics a price objection is answered with.
OBJECTION_TOPICS = ("emi", "refund")

# Words that say nothing about what is asked about: function words (English
# and Hinglish), greetings, and the vocabulary of any enquiry.
_GENERIC = frozenset(
    """
    a an the and or but if of to in on for with at by from is are was were be been being am i me my mine we us our
    you your yours it its this that these those do does did done doing can could would should will shall may
    might must have has had having what when where which who whom whose how why there here then than so too very
    also just only even still already again once about above after before during until while into onto over
    under between through across against without within along around near since per via each every all both few
    many much more most some any other another such no nor not own same as up down out off further now today
    tomorrow yesterday soon later please pls hi hello hey dear sir sirji madam mam maam ma'am ji thanks thank
    thankyou ok okay yes yeah yep sure fine good great nice cool hmm want wants wanted wanting like would like
    know tell told need needs get got give share send sent see let make take come go going looking look
    details detail information info course courses program programme programs class classes lecture lectures
    batch batches available availability facility facilities option options provide provides offer offering
    institute academy college join joining enroll enrol enrolment enrollment register learn learning study
    studying interested interest regarding related kindly really actually basically one two first next new
    it's i'm i've i'll i'd you're don't can't won't isn't aren't doesn't didn't that's what's there's let's
    someone anyone somebody anybody people person student students help guys team best right possible
    seekh seekhna sikhna karna karni karne chahta chahti chahiye chahte hu hoon hun mujhe mera meri mere humein
    hum humara aap ap apka apke tum tumhara kya hai hain ho hoga hogi hote hota hoti tha thi the ka ki ke ko se
    me mein bhi aur ya toh to na nahi kar karo karke kaise kab kitna kitne kitni kaun konsa kaunsa kyun kyu koi
    kuch ek bhai yaar sir ji haan han accha acha theek thik milega milegi milenge sakta sakti sakte skta
    batao bataiye bata dijiye jankari jaankari wala wali wale liye lie par pe abhi phir fir thoda thodi thode
    pay paying paid payment stop stopping continue change switch leave miss attend saw seen heard ad ads advert
    instagram facebook google youtube website site page form filled fill call calls calling contact
    policy policies rule rules terms process procedure baad pehle saath sath baare bare bahut bohot bahot bohut
    zyada jyada agar pada padega milta milti paisa paise money become becoming
    thing things question questions doubt doubts query queries ask asking asked wondering wonder curious quick
    matlab mtlb etc anything something everything bootcamp work working professional college school
    company companies son daughter child children kid kids nephew niece brother sister husband wife friend
    beta beti bete betiyon men sikhana seekhana sikhne seekhne sikhni seekhni banana banane banani
    """.split()
)
_WORD = re.compile(r"[a-z0-9][a-z0-9+#./-]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


_GREETING = re.compile(r"\bgood (?:morning|afternoon|evening|night|day)\b")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def _tokens(text: str) -> list[str]:
    return [w.strip("./-") for w in _WORD.findall(text.lower()) if w.strip("./-")]


# Every turn compares the same words with the same catalogue words: remembered for the process.
@lru_cache(maxsize=1 << 16)
def _similar(word: str, other: str, cutoff: float = 0.83) -> bool:
    """Equal, an inflection ("market", "marketing"), or a misspelling ("sceince", "science")."""
    if word == other or language.expand_abbreviation(word, [other]) is not None:
        return True  # the same word, or it without its vowels ("dgtl", "mktg")
    short, long_ = sorted((word, other), key=len)
    if len(short) >= 5 and long_.startswith(short) and len(short) >= 0.6 * len(long_):
        return True
    return (
        len(word) >= 4
        and word[0] == other[0]
        and difflib.SequenceMatcher(None, word, other).ratio() >= cutoff
    )


@dataclass
class Reading:
    """What a question asks and which snippets answer it."""

    topics: list[Topic]
    subject_words: list[str]
    # Snippets the question is about (course named), best first.
    about: list[Snippet]
    # Subject words no snippet mentions ("java", "hostel"): the catalogue may not offer them.
    unknown_words: list[str] = field(default_factory=list)
    # The course came from earlier in the conversation, not this message.
    from_history: bool = False


def _title_words(snippet: Snippet) -> tuple[str, ...]:
    return _words_of_title(snippet.title)


@lru_cache(maxsize=256)
def _words_of_title(title: str) -> tuple[str, ...]:
    """The title's words, glued pairs ("datascience"), parts ("full", "stack") and initials ("ds", "fswd")."""
    words = _tokens(title)
    glued = ["".join(words)] if len(words) > 1 else []
    pairs = [a + b for a, b in itertools.pairwise(words)]
    parts = [p for w in words for p in re.split(r"[/-]", w) if p and p != w]
    # "full-stack" is also written "fullstack" (and misspelt "fullstk"), "ui/ux" "uiux".
    joined = [re.sub(r"[/-]", "", w) for w in words if re.search(r"[/-]", w)]
    pieces = [p for w in words for p in (re.split(r"[/-]", w) if re.search(r"[/-]", w) else [w])]
    pieces = [p for p in pieces if p not in _GENERIC and p not in ("and", "of", "the", "pro")]
    initials = {"".join(p[0] for p in pieces[:n]) for n in (2, len(pieces)) if len(pieces) >= n >= 2}
    return tuple([w for w in words + glued + pairs + parts + joined if w not in _GENERIC] + sorted(initials))


def _title_score(words: list[str], snippet: Snippet) -> int:
    title = _title_words(snippet)
    return sum(1 for w in words if _names(w, title))


@lru_cache(maxsize=1 << 14)
def _names(word: str, title: tuple[str, ...]) -> bool:
    """Whether the word is a word of the title, or two of them glued."""
    return any(_similar(word, t) for t in title) or _glued(word, title)


def _glued(word: str, title: tuple[str, ...]) -> bool:
    """Two title words written as one, either in its shorthand ("webdev", "uxdesign")."""
    for i in range(2, len(word) - 1):
        left, right = (_ALIASES.get(p, p) for p in (word[:i], word[i:]))
        if any(_similar(left, t) for t in title) and any(_similar(right, t) for t in title):
            return True
    return False


@lru_cache(maxsize=256)
def _content_words(content: str) -> frozenset[str]:
    """The text's words, and the parts of those it writes with a dot or a hyphen ("node" of "node.js")."""
    words = _tokens(content)
    return frozenset(words + [p for w in words for p in re.split(r"[./-]", w) if len(p) >= 2])


_NEGATES = re.compile(r"\b(?:no|not|never|without)\b", re.I)


@lru_cache(maxsize=256)
def _taught(content: str) -> str:
    """The text without its sentences that say what is not needed ("No prior coding experience is
    required"): what a course teaches is in the others."""
    return " ".join(s for s in sentences(content) if not _NEGATES.search(s))


def _content_hits(words: list[str], snippet: Snippet) -> list[str]:
    # Stricter than for titles: a long text has many near neighbours ("computing", "completing").
    content = _content_words(snippet.content)
    return [w for w in words if len(w) >= 3 and any(_similar(w, c, 0.9) for c in content)]


def _phrase_hits(normalised: str, snippet: Snippet) -> int:
    """How many two-word terms of the text ("machine learning") the snippet's text has too: a term the
    catalogue uses names its subject better than either word, one of which may say little alone."""
    content = f" {' '.join(_tokens(snippet.content))} "
    return sum(
        1
        for a, b in itertools.pairwise(_tokens(normalised))
        if _term_word(a) and _term_word(b) and f" {a} {b} " in content
    )


# Words too common to make a term of the catalogue with another ("the fee", "for all").
_FUNCTION_WORDS = frozenset(
    "the and for with from you your our are was were per this that these can will all any has have not its "
    "each every who how what when".split()
)


def _term_word(word: str) -> bool:
    return len(word) >= 3 and word not in _FUNCTION_WORDS and not any(t.ask.fullmatch(word) for t in TOPICS)


# Shorthand students use for the words course titles spell out.
_ALIASES = {
    "dev": "development",
    "developer": "development",
    "developers": "development",
    "devloper": "development",
}


def subject_words(text: str) -> list[str]:
    """The words that say what the question is about: not generic, not a topic's trigger."""
    normalised = intents.normalise(text)
    # The words of a topic's phrase ("will you place me") say what is asked, not about what.
    asked = {w for t in TOPICS for m in t.ask.finditer(normalised) for w in _tokens(m.group(0))}
    out = []
    for word in (_ALIASES.get(w, w) for w in _tokens(normalised)):
        if word in _GENERIC or len(word) < 2 or word.isdigit() or re.fullmatch(r"\d+k?", word):
            continue
        if word in asked or any(t.ask.fullmatch(word) for t in TOPICS):
            continue
        out.append(word)
    return list(dict.fromkeys(out))


def _beside_title(unknown: list[str], normalised: str, snippet: Snippet, reach: int = 2) -> list[str]:
    """The unknown words within `reach` words of a word of the snippet's title."""
    tokens = [_ALIASES.get(w, w) for w in _tokens(normalised)]
    titled = [i for i, w in enumerate(tokens) if w not in _GENERIC and _title_score([w], snippet)]
    return [
        w for w in unknown if any(abs(i - j) <= reach for i, t in enumerate(tokens) if t == w for j in titled)
    ]


# A course set aside ("the web course, not the design one") names nothing: the words after a "not", up
# to the end of the clause or three words on.
_SET_ASIDE = re.compile(
    r"\b(?:not|except|other than|apart from) (?:the |a |an |for |in )?(?:[^\s,.;:!?()]+ ?){1,3}"
)
_FIGURE = re.compile(r"\d[\d,]*\d")


def _named_by_figure(question: str, snippets: list[Snippet]) -> list[Snippet]:
    """The one course whose text states a figure the student quotes ("5,199 a month is too much")."""
    figures = {f.replace(",", "") for f in _FIGURE.findall(question) if len(f.replace(",", "")) >= 3}
    if not figures:
        return []
    stating = [
        s for s in snippets if is_course(s) and figures & set(_FIGURE.findall(s.content.replace(",", "")))
    ]
    return stating if len(stating) == 1 else []


def read(question: str, snippets: list[Snippet], history: list[str], objection: bool = False) -> Reading:
    """Reads the question: its topics, the course it is about (or the one named earlier).

    A price objection that names no course is about the one named earlier, whatever other words
    it has; any other message is only if it names nothing the catalogue lacks."""
    usable = [s for s in snippets if s.rank >= MIN_RANK]
    normalised = intents.normalise(question)
    # A greeting names no topic: "good morning" asks nothing about class timings.
    topics = [t for t in TOPICS if t.ask.search(_GREETING.sub(" ", normalised))]
    words = subject_words(_SET_ASIDE.sub(" ", question.lower()))
    scored = sorted(((s, _title_score(words, s)) for s in usable), key=lambda x: -x[1])
    best = scored[0][1] if scored else 0
    # The best-named document, and any other named as fully ("data science or web development?"); not
    # one whose named words are all the best one's too: "Python for Data Science" is not also "Data
    # Science and AI", though both titles say "data science".
    best_words = {w for w in words if scored and _title_score([w], scored[0][0])}
    about = [
        s
        for s, score in scored
        if score > 0
        and (score == best or (score >= 2 and not {w for w in words if _title_score([w], s)} <= best_words))
    ]
    # Courses named by words of their own first ("data science and web development"), then those
    # named by the same words as the best (an ambiguous "data science" with two such courses).
    about = about[:1] + sorted(
        about[1:], key=lambda s: 0 if not {w for w in words if _title_score([w], s)} <= best_words else 1
    )
    mentioned = {w for s in usable for w in words if _title_score([w], s) or _content_hits([w], s)}
    unknown = [w for w in words if w not in mentioned]
    if about and len(_beside_title(unknown, normalised, about[0])) > _title_score(words, about[0]):
        # "android app development": one word of a title, the subject elsewhere. Only words beside
        # the title's count: a long voice message says much else ("my cousin did a course last year").
        about = []
    if not about:
        about = _named_by_figure(question, usable)
    if not about:
        # A course recognised by what it teaches ("react developer", "python and machine learning").
        # Each course scored by the words and two-word terms of its own text the message uses; a tie
        # goes to the one the search ranked higher (the snippets come best first).
        taught = [
            (s, Snippet(s.document_id, s.title, _taught(s.content), s.rank)) for s in usable if is_course(s)
        ]
        hits = [(s, len(_content_hits(words, t)) + _phrase_hits(normalised, t)) for s, t in taught]
        best = max((n for _, n in hits), default=0)
        leaders = [s for s, n in hits if n == best]
        # Only a clear winner: words every course shares ("live online") name none of them.
        if best and best >= len(unknown) and len(leaders) == 1:
            about = leaders
    reading = Reading(topics, words, about, unknown)
    if not about and (not unknown or objection):
        for earlier in reversed(history):
            named = subject_words(earlier)
            found = [s for s in usable if _title_score(named, s) > 0]
            if found:
                found.sort(key=lambda s: -_title_score(named, s))
                reading.about = found[:1]
                reading.from_history = True
                break
    return reading


def answer(topic: Topic, snippet: Snippet) -> str | None:
    """The first sentence of the snippet that answers the topic."""
    for sentence in sentences(snippet.content):
        if topic.answer.search(sentence):
            return sentence
    return None


_LIMITS = re.compile(r"\b(?:not|only|subject to|except|unless)\b", re.I)


def answers(topic: Topic, snippet: Snippet, question: str, limit: int = 2) -> list[str]:
    """Up to `limit` sentences that answer the topic, those sharing the question's words first,
    in the document's order ("is placement guaranteed?" gets "Placement is assisted, not guaranteed.")."""
    words = [w for w in _tokens(intents.normalise(question)) if w not in _GENERIC and len(w) >= 4]
    found = [s for s in sentences(snippet.content) if topic.answer.search(s)]
    if not found:
        return []
    overlap = {s: len(_content_hits(words, Snippet("", "", s, 1.0))) for s in found}
    best = sorted(found, key=lambda s: -overlap[s])[:limit]
    if limit > 1 and overlap[best[0]] == 0:
        # One sentence when none shares the question's words; but never a promise without the
        # sentence that limits it ("Placement is assisted, not guaranteed.").
        best = best[:1] + [s for s in best[1:] if _LIMITS.search(s)]
    return [s for s in found if s in best]


def mentions(snippet: Snippet, words: list[str]) -> list[str]:
    """Sentences of the snippet that contain any of the words."""
    return [s for s in sentences(snippet.content) if _content_hits(words, Snippet("", "", s, 1.0))]


def general(snippets: list[Snippet], topic: Topic) -> list[Snippet]:
    """Snippets that answer a topic for every course (a fees FAQ), best first."""
    return [s for s in snippets if s.rank >= MIN_RANK and answer(topic, s) is not None]


def is_course(snippet: Snippet) -> bool:
    """Whether the snippet describes one course (it states a fee), rather than an FAQ."""
    return answer(TOPIC["fee"], snippet) is not None
