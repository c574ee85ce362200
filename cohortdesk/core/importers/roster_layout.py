"""How a roster's header says which column holds what (in several languages), and how a
roster's cells are read: names, emails, roles, facilitator flags."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cohortdesk.core.enums import Role
from cohortdesk.core.importers.textio import normalise_header


def _keys(*names: str) -> frozenset[str]:
    return frozenset(normalise_header(name) for name in names)


_NAME = _keys(
    "Name", "Full name", "Fullname", "Participant", "Participant name", "Learner",
    "Learner name", "Student", "Student name", "Member", "Member name", "Display name",
    "User full name", "Nom", "Nom complet", "Nombre", "Nombre completo", "Nome",
    "Nome completo", "Name (full)",
)  # fmt: skip
_FIRST = _keys(
    "First name", "Firstname", "Given name", "Given names", "Forename", "Prénom",
    "Nombre de pila", "Primeiro nome", "Vorname",
)  # fmt: skip
_LAST = _keys(
    "Last name", "Lastname", "Surname", "Family name", "Apellido", "Apellidos",
    "Sobrenome", "Apelido", "Nom de famille", "Nachname",
)  # fmt: skip
#: "Nombre"/"Nome" is a first name beside "Apellidos"/"Sobrenome"; "Nom" a last name beside "Prénom"
_FIRST_BESIDE_LAST = _keys("Nombre", "Nome")
_LAST_BESIDE_FIRST = _keys("Nom")
_EMAIL = _keys(
    "Email", "E-mail", "Mail", "Email address", "E-mail address", "Emailaddress", "Correo",
    "Correo electrónico", "Courriel", "Adresse e-mail", "Adresse électronique", "E-mail-Adresse",
    "Endereço de e-mail", "Endereço de email",
)  # fmt: skip
_ROLE = _keys(
    "Role", "Roles", "Type", "Participant role", "Member role", "User role", "Course role",
    "Rôle", "Rol", "Papel", "Função",
)  # fmt: skip
_FLAG = _keys("Facilitator", "Is facilitator", "Facilitator flag")
_EXPERTISE = _keys(
    "Expertise", "Keywords", "Skills", "Interests", "Topics", "Areas of expertise",
    "Compétences", "Habilidades", "Intereses", "Palabras clave", "Mots-clés",
)  # fmt: skip
_MOODLE = _keys("Moodle ID", "Moodle user id", "Moodle userid")
_SLACK = _keys("Slack ID", "Slack user id", "Slack member id")
_EXTERNAL = _keys(
    "ID", "UID", "User ID", "Userid", "Username", "User name", "External ID", "Student ID",
    "Learner ID", "Participant ID", "Member ID", "Employee ID", "ID number", "Identifier",
)  # fmt: skip
#: headers that make a file an activity log rather than a roster (checked by `detect` only)
_TIME_LIKE = _keys(
    "Time", "Timestamp", "Date", "Datetime", "Date/time", "When", "Created", "Modified",
    "Time created", "Time modified", "Created at", "Occurred at", "Event time", "Posted",
    "Hora", "Fecha", "Heure", "Data", "Datum", "Zeit",
)  # fmt: skip

#: the expected headers, as a rejection names them
EXPECTED = (
    "Name (or Full name, Nom, Nombre...), First name + Last name, Email (or E-mail, Courriel, "
    "Correo...), ID (or UID, User ID, Username, Student ID...)"
)

#: role words in the messages, then Moodle's short names and a few other languages
_ROLE_WORDS: dict[Role, str] = {
    Role.LEARNER: "student, learner, participant, trainee",
    Role.FACILITATOR: "teacher, tutor, facilitator, e-moderator, moderator, trainer, instructor",
    Role.MENTOR: "mentor, coach",
    Role.MANAGER: "manager, line manager, sponsor, observer",
}
_ROLE_EXTRA: dict[Role, str] = {
    Role.LEARNER: "pupil, estudiante, alumno, alumna, étudiant, étudiante, apprenant, "
    "apprenante, participante, aluno, aluna, estudante",
    Role.FACILITATOR: "editingteacher, non-editing teacher, profesor, profesora, professor, "
    "professora, docente, enseignant, enseignante, formateur, formatrice, formador, formadora, "
    "tuteur, tutrice, facilitador, facilitadora, animateur, animatrice, e-tutor",
    Role.MENTOR: "mentora",
    Role.MANAGER: "gestionnaire, responsable, gerente, observateur, observador",
}
_ROLES: dict[str, Role] = {
    normalise_header(word): role
    for table in (_ROLE_WORDS, _ROLE_EXTRA)
    for role, words in table.items()
    for word in words.split(", ")
}
#: when one cell lists several roles ("Student, Teacher"), the one with the most to do wins
_ROLE_RANK = {Role.FACILITATOR: 0, Role.MENTOR: 1, Role.MANAGER: 2, Role.LEARNER: 3}
_ACCEPTED_ROLES = "; ".join(f"{role.value} ({words})" for role, words in _ROLE_WORDS.items())

_TRUE = frozenset({"1", "1.0", "yes", "y", "true", "x", "oui", "si", "sí", "sim", "ja"})
_FALSE = frozenset({"0", "0.0", "no", "n", "false", "non", "não", "nao", "nein"})
#: cells that mean "nothing here" (compared case-insensitively)
EMPTY_WORDS = frozenset({"null", "n/a", "-", "#n/a"})
EMPTY_MAX_LEN = max(len(word) for word in EMPTY_WORDS)

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_SPACES = re.compile(r"\s{2,}|[^\S ]")
#: an id Excel wrote as a whole number (5104.0), the id in group 1
WHOLE_NUMBER = r"^([0-9]+)\.0+$"
_ROLE_SEPARATORS = re.compile(r"\s*[,;/|+&]\s*")


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column holds what (0-based indices), found from a header row."""

    name: int | None
    first: int | None
    last: int | None
    email: int | None
    role: int | None
    flag: int | None
    expertise: tuple[int, ...]
    moodle: int | None
    slack: int | None
    external: int | None
    has_time: bool

    @property
    def identifies(self) -> bool:
        """Whether rows can name a person (a name, an email or an id column)."""
        found = (self.name, self.first, self.last, self.email, self.external)
        return any(index is not None for index in found)

    def used(self) -> dict[int, str]:
        """Column index -> what it is read as, for the note shown to the user."""
        fields = {
            self.name: "name",
            self.first: "first name",
            self.last: "last name",
            self.email: "email",
            self.role: "role",
            self.flag: "facilitator flag",
            self.moodle: "Moodle id",
            self.slack: "Slack id",
            self.external: "id",
        }
        used = {index: what for index, what in fields.items() if index is not None}
        used.update((index, "expertise") for index in self.expertise)
        return used


def _first_in(
    keys: Sequence[str], wanted: frozenset[str], taken: Iterable[int | None] = ()
) -> int | None:
    skip = set(taken)
    for index, key in enumerate(keys):
        if key in wanted and index not in skip:
            return index
    return None


def read_layout(header: Sequence[str]) -> Layout:
    keys = [normalise_header(name) for name in header]
    first = _first_in(keys, _FIRST)
    last = _first_in(keys, _LAST)
    if last is not None and first is None:
        first = _first_in(keys, _FIRST_BESIDE_LAST)
    if first is not None and last is None:
        last = _first_in(keys, _LAST_BESIDE_FIRST)
    return Layout(
        name=_first_in(keys, _NAME, (first, last)),
        first=first,
        last=last,
        email=_first_in(keys, _EMAIL),
        role=_first_in(keys, _ROLE),
        flag=_first_in(keys, _FLAG),
        expertise=tuple(index for index, key in enumerate(keys) if key in _EXPERTISE),
        moodle=_first_in(keys, _MOODLE),
        slack=_first_in(keys, _SLACK),
        external=_first_in(keys, _EXTERNAL),
        has_time=any(key in _TIME_LIKE or key.endswith("timestamp") for key in keys),
    )


def shown(value: str) -> str:
    """A cell value quoted for a message, cut short when it is long."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def tidy_name(name: str) -> str:
    """A name with each run of spaces, tabs or line breaks one space."""
    if name and _SPACES.search(name):
        return _SPACES.sub(" ", name).strip()
    return name


def valid_email(text: str) -> bool:
    """Whether a (non-empty) cell is an email address."""
    return _EMAIL_RE.fullmatch(text) is not None


def read_role(text: str) -> tuple[Role | None, str | None]:
    """The role a cell names (the one with the most to do when it lists several), or the
    reason it names none cohortdesk knows."""
    found: list[Role] = []
    for part in _ROLE_SEPARATORS.split(text):
        if not part:
            continue
        key = normalise_header(part)
        role = _ROLES.get(key)
        if role is None and key.endswith("s"):
            role = _ROLES.get(key[:-1])
        if role is None:
            return None, f"unknown role {shown(text)}; accepted roles: {_ACCEPTED_ROLES}"
        found.append(role)
    if not found:
        return None, None
    return min(found, key=_ROLE_RANK.__getitem__), None


def read_flag(text: str) -> tuple[bool, str | None]:
    """Whether a Facilitator cell says yes, or the reason it says neither yes nor no."""
    if not text:
        return False, None
    word = text.casefold()
    if word in _TRUE:
        return True, None
    if word in _FALSE:
        return False, None
    expected = "expected 1 or 0, yes or no, true or false"
    return False, f"the Facilitator column holds {shown(text)}; {expected}"
