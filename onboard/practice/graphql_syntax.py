"""GraphQL documents as the practice forge reads them: tokens, a parser, and argument values.

The practice forge answers the GraphQL queries onboard sends (see :mod:`.graphql_schema` and
:mod:`.routes.graphql`), not every query GitHub would. Parsing is still the real grammar, because
a client bug (a missing brace, an undeclared variable) must fail here exactly as loudly as it
would on GitHub rather than be "understood" by a lenient reader: operations with variable
definitions, fields with aliases and arguments, named fragments, fragment spreads and inline
fragments. Directives and subscriptions are refused with a clear message, since onboard sends
neither. Positions are kept (line and column from 1) because GitHub's errors carry them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r"""
    (?P<skip>(?:[\s,\ufeff]+|\#[^\n\r]*)+)
    |(?P<spread>\.\.\.)
    |(?P<punct>[!$&():=@\[\]{}|])
    |(?P<name>[_A-Za-z][_0-9A-Za-z]*)
    |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    |(?P<block>\"\"\"(?:\\\"\"\"|[^"]|"(?!""))*\"\"\")
    |(?P<string>"(?:[^"\\\n\r]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*")
    """,
    re.VERBOSE,
)
#: GitHub's names for punctuators in "Parse error on ... (KIND)" messages.
_KINDS = {
    "{": "LCURLY",
    "}": "RCURLY",
    "(": "LPAREN",
    ")": "RPAREN",
    "[": "LBRACKET",
    "]": "RBRACKET",
    ":": "COLON",
    "!": "BANG",
    "$": "VAR_SIGN",
    "=": "EQUALS",
    "@": "DIR_SIGN",
    "|": "PIPE",
    "&": "AMP",
    "...": "ELLIPSIS",
}


class GraphQLSyntaxError(ValueError):
    """The document does not parse; ``message`` is worded like GitHub's parse errors."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "punct", "spread", "number", "string", "block", "end"
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Variable:
    name: str


@dataclass(frozen=True)
class EnumValue:
    name: str


@dataclass(frozen=True)
class Field:
    name: str
    alias: str | None
    arguments: dict[str, Any]
    selections: tuple[Selection, ...]
    line: int
    column: int

    @property
    def key(self) -> str:
        """The name the field's value has in the answer: its alias, or its own name."""
        return self.alias or self.name


@dataclass(frozen=True)
class FragmentSpread:
    name: str
    line: int
    column: int


@dataclass(frozen=True)
class InlineFragment:
    type_condition: str | None
    selections: tuple[Selection, ...]
    line: int
    column: int


Selection = Field | FragmentSpread | InlineFragment


@dataclass(frozen=True)
class VariableDefinition:
    name: str
    type: str  # as written, e.g. "String!", "[Int!]"
    default: Any = None
    has_default: bool = False

    @property
    def required(self) -> bool:
        return self.type.endswith("!") and not self.has_default


@dataclass(frozen=True)
class Operation:
    kind: str  # "query", "mutation" or "subscription"
    name: str | None
    variables: tuple[VariableDefinition, ...]
    selections: tuple[Selection, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Fragment:
    name: str
    type_condition: str
    selections: tuple[Selection, ...]
    line: int
    column: int


@dataclass
class Document:
    operations: list[Operation] = field(default_factory=list)
    fragments: dict[str, Fragment] = field(default_factory=dict)


def tokenize(source: str) -> list[Token]:
    """Every token of ``source`` with its position, ending with an ``end`` token."""
    tokens: list[Token] = []
    position, line, line_start = 0, 1, 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        column = position - line_start + 1
        if match is None:
            raise GraphQLSyntaxError(
                f'Parse error on "{source[position]}" (error) at [{line}, {column}]', line, column
            )
        kind = match.lastgroup or "skip"
        text = match.group()
        if kind != "skip":
            tokens.append(Token(kind, text, line, column))
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + text.rindex("\n") + 1
        position = match.end()
    tokens.append(Token("end", "", line, position - line_start + 1))
    return tokens


def parse(source: str) -> Document:
    """The document in ``source``; :class:`GraphQLSyntaxError` when it is not valid GraphQL."""
    return _Parser(tokenize(source)).document()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._at = 0

    # -- token helpers -----------------------------------------------------------------

    @property
    def _next(self) -> Token:
        return self._tokens[self._at]

    def _take(self) -> Token:
        token = self._tokens[self._at]
        self._at = min(self._at + 1, len(self._tokens) - 1)
        return token

    def _is(self, text: str) -> bool:
        token = self._next
        return token.kind in ("punct", "spread") and token.text == text

    def _fail(self, token: Token | None = None) -> GraphQLSyntaxError:
        token = token or self._next
        if token.kind == "end":
            where = "end of file"
            return GraphQLSyntaxError(
                f"Parse error on {where} at [{token.line}, {token.column}]",
                token.line,
                token.column,
            )
        kind = _KINDS.get(token.text) or {
            "name": "IDENTIFIER",
            "number": "FLOAT" if "." in token.text or "e" in token.text.lower() else "INT",
            "string": "STRING",
            "block": "STRING",
        }.get(token.kind, token.kind.upper())
        return GraphQLSyntaxError(
            f'Parse error on "{token.text}" ({kind}) at [{token.line}, {token.column}]',
            token.line,
            token.column,
        )

    def _expect(self, text: str) -> Token:
        if not self._is(text):
            raise self._fail()
        return self._take()

    def _name(self) -> Token:
        if self._next.kind != "name":
            raise self._fail()
        return self._take()

    # -- definitions -------------------------------------------------------------------

    def document(self) -> Document:
        doc = Document()
        if self._next.kind == "end":
            raise self._fail()
        while self._next.kind != "end":
            token = self._next
            if self._is("{"):
                doc.operations.append(
                    Operation("query", None, (), self._selections(), token.line, token.column)
                )
            elif token.kind == "name" and token.text in ("query", "mutation", "subscription"):
                doc.operations.append(self._operation())
            elif token.kind == "name" and token.text == "fragment":
                fragment = self._fragment()
                doc.fragments[fragment.name] = fragment
            else:
                raise self._fail()
        return doc

    def _operation(self) -> Operation:
        start = self._take()
        name = self._name().text if self._next.kind == "name" else None
        variables: list[VariableDefinition] = []
        if self._is("("):
            self._take()
            while not self._is(")"):
                variables.append(self._variable_definition())
            self._take()
        self._no_directives()
        return Operation(
            start.text, name, tuple(variables), self._selections(), start.line, start.column
        )

    def _variable_definition(self) -> VariableDefinition:
        self._expect("$")
        name = self._name().text
        self._expect(":")
        kind = self._type()
        if self._is("="):
            self._take()
            return VariableDefinition(name, kind, self._value(constant=True), True)
        return VariableDefinition(name, kind)

    def _type(self) -> str:
        if self._is("["):
            self._take()
            inner = self._type()
            self._expect("]")
            text = f"[{inner}]"
        else:
            text = self._name().text
        if self._is("!"):
            self._take()
            text += "!"
        return text

    def _fragment(self) -> Fragment:
        start = self._take()
        name = self._name()
        if name.text == "on":
            raise self._fail(name)
        on = self._name()
        if on.text != "on":
            raise self._fail(on)
        condition = self._name().text
        self._no_directives()
        return Fragment(name.text, condition, self._selections(), start.line, start.column)

    # -- selections --------------------------------------------------------------------

    def _selections(self) -> tuple[Selection, ...]:
        self._expect("{")
        found: list[Selection] = []
        while not self._is("}"):
            found.append(self._selection())
        self._take()
        if not found:
            raise self._fail(self._tokens[self._at - 1])
        return tuple(found)

    def _selection(self) -> Selection:
        token = self._next
        if self._is("..."):
            self._take()
            if self._next.kind == "name" and self._next.text == "on":
                self._take()
                condition = self._name().text
                self._no_directives()
                return InlineFragment(condition, self._selections(), token.line, token.column)
            if self._is("{"):
                return InlineFragment(None, self._selections(), token.line, token.column)
            name = self._name().text
            self._no_directives()
            return FragmentSpread(name, token.line, token.column)
        first = self._name()
        alias = None
        name = first
        if self._is(":"):
            self._take()
            alias, name = first.text, self._name()
        arguments: dict[str, Any] = {}
        if self._is("("):
            self._take()
            while not self._is(")"):
                key = self._name().text
                self._expect(":")
                arguments[key] = self._value(constant=False)
            self._take()
        self._no_directives()
        selections = self._selections() if self._is("{") else ()
        return Field(name.text, alias, arguments, selections, first.line, first.column)

    def _no_directives(self) -> None:
        if self._is("@"):
            token = self._next
            raise GraphQLSyntaxError(
                "The practice forge does not support directives (@include, @skip); onboard "
                "sends none.",
                token.line,
                token.column,
            )

    # -- values ------------------------------------------------------------------------

    def _value(self, *, constant: bool) -> Any:
        token = self._next
        if self._is("$") and not constant:
            self._take()
            return Variable(self._name().text)
        if self._is("["):
            self._take()
            items = []
            while not self._is("]"):
                items.append(self._value(constant=constant))
            self._take()
            return items
        if self._is("{"):
            self._take()
            fields: dict[str, Any] = {}
            while not self._is("}"):
                key = self._name().text
                self._expect(":")
                fields[key] = self._value(constant=constant)
            self._take()
            return fields
        if token.kind == "number":
            self._take()
            text = token.text
            return float(text) if any(c in text for c in ".eE") else int(text)
        if token.kind == "string":
            self._take()
            return json.loads(token.text)
        if token.kind == "block":
            self._take()
            return token.text[3:-3].replace('\\"""', '"""')
        if token.kind == "name":
            self._take()
            return {"true": True, "false": False, "null": None}.get(
                token.text, EnumValue(token.text)
            )
        raise self._fail()


def value_of(raw: Any, variables: dict[str, Any]) -> Any:
    """An argument's value with its variables filled in and enum values as their names."""
    if isinstance(raw, Variable):
        return variables.get(raw.name)
    if isinstance(raw, EnumValue):
        return raw.name
    if isinstance(raw, list):
        return [value_of(item, variables) for item in raw]
    if isinstance(raw, dict):
        return {key: value_of(item, variables) for key, item in raw.items()}
    return raw


def variables_in(raw: Any) -> list[str]:
    """Names of the variables an argument value uses."""
    if isinstance(raw, Variable):
        return [raw.name]
    if isinstance(raw, list):
        return [name for item in raw for name in variables_in(item)]
    if isinstance(raw, dict):
        return [name for item in raw.values() for name in variables_in(item)]
    return []
