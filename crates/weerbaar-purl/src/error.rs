use std::fmt;

/// The purl component an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Component {
    /// `pkg:`
    Scheme,
    /// `maven` in `pkg:maven/...`
    Type,
    /// The segments between the type and the name.
    Namespace,
    /// The last path segment.
    Name,
    /// After `@`.
    Version,
    /// After `?`.
    Qualifiers,
    /// After `#`.
    Subpath,
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Scheme => "scheme",
            Self::Type => "type",
            Self::Namespace => "namespace",
            Self::Name => "name",
            Self::Version => "version",
            Self::Qualifiers => "qualifiers",
            Self::Subpath => "subpath",
        })
    }
}

/// Why a purl (or a set of components) was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No `pkg:` in front.
    #[error("missing scheme: a purl starts with \"pkg:\"")]
    MissingScheme,
    /// Something other than `pkg` before the first colon.
    #[error("scheme is {0:?}, not \"pkg\"")]
    WrongScheme(String),
    /// Nothing between `pkg:` and the first `/`.
    #[error("missing type")]
    MissingType,
    /// The type starts with something other than an ASCII letter.
    #[error("type must start with an ASCII letter, not {0:?}")]
    TypeStart(char),
    /// The type contains a character outside ASCII letters, digits, `.` and `-`.
    #[error("invalid character {0:?} in type (only ASCII letters, digits, '.' and '-')")]
    TypeCharacter(char),
    /// No name after the type (and namespace).
    #[error("missing name")]
    MissingName,
    /// The type's definition requires a namespace.
    #[error("namespace is required for type {0}")]
    NamespaceRequired(String),
    /// The type's definition prohibits a namespace.
    #[error("type {0} has no namespace, but one was given")]
    NamespaceProhibited(String),
    /// A namespace or subpath segment decodes to something containing `/`.
    #[error("a segment must not contain an encoded '/'")]
    SlashInSegment,
    /// A `%` not followed by two hex digits.
    #[error("'%' must be followed by two hex digits")]
    InvalidPercentEncoding,
    /// Percent-decoded bytes that are not UTF-8.
    #[error("percent-encoded bytes are not valid UTF-8")]
    InvalidUtf8,
    /// A qualifier key outside `[a-z][a-z0-9._-]*` (after lower-casing in lenient mode).
    #[error(
        "invalid qualifier key {0:?} (a letter, then letters, digits, '.', '-' or '_', unencoded)"
    )]
    QualifierKey(String),
    /// Strict mode: a qualifier key that is not already lower case.
    #[error("qualifier key {0:?} is not lower case")]
    QualifierKeyCase(String),
    /// The same key twice (after lower-casing).
    #[error("qualifier {0:?} is given more than once")]
    DuplicateQualifier(String),
    /// The type's definition requires a qualifier that is absent.
    #[error("qualifier {key} is required for type {ty}")]
    MissingQualifier {
        /// The purl type.
        ty: String,
        /// The missing key.
        key: &'static str,
    },
    /// The type's definition restricts the characters of this component.
    #[error("not permitted for type {ty}: must match {rule}")]
    NotPermitted {
        /// The purl type.
        ty: String,
        /// The type definition's `permitted_characters` pattern.
        rule: &'static str,
    },
    /// Strict mode: a space, tab or newline that is not percent-encoded.
    #[error("unencoded whitespace (a space is written %20)")]
    UnencodedWhitespace,
    /// A cpan purl names a module (`URI::PackageURL`) instead of a distribution.
    #[error("a cpan name is a distribution (URI-PackageURL), not a module (URI::PackageURL)")]
    CpanModuleName,
}

/// A purl string or set of components that is not a valid package URL.
///
/// It names the component, the byte offset in the input where the problem starts (for parse
/// errors), and the reason, so an importer can report `file:line: purl ...: reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", Rendered(self))]
pub struct PurlError {
    input: Option<Box<str>>,
    component: Component,
    position: Option<usize>,
    // Not a `#[source]`: the message already contains the reason, and reporting it again as a
    // cause would print it twice in `anyhow` chains.
    kind: ErrorKind,
}

impl PurlError {
    pub(crate) fn parse(
        input: &str,
        component: Component,
        position: usize,
        kind: ErrorKind,
    ) -> Self {
        Self {
            input: Some(input.into()),
            component,
            position: Some(position.min(input.len())),
            kind,
        }
    }

    pub(crate) fn build(component: Component, kind: ErrorKind) -> Self {
        Self {
            input: None,
            component,
            position: None,
            kind,
        }
    }

    /// Turns a component-level error from the shared normaliser into a parse error.
    pub(crate) fn located(mut self, input: &str, position: usize) -> Self {
        self.input = Some(input.into());
        self.position = Some(position.min(input.len()));
        self
    }

    /// The purl string that was parsed, if this came from parsing.
    #[must_use]
    pub fn input(&self) -> Option<&str> {
        self.input.as_deref()
    }

    /// The component at fault.
    #[must_use]
    pub fn component(&self) -> Component {
        self.component
    }

    /// Byte offset in [`input`](Self::input) where the fault starts (parse errors only).
    #[must_use]
    pub fn position(&self) -> Option<usize> {
        self.position
    }

    /// The reason.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

/// The message: the input (when parsed), the reason, the component and the offset.
struct Rendered<'a>(&'a PurlError);

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Rendered(e) = self;
        match &e.input {
            Some(input) => write!(f, "invalid purl {input:?}: ")?,
            None => f.write_str("invalid purl components: ")?,
        }
        write!(f, "{} ({}", e.kind, e.component)?;
        if let Some(position) = e.position {
            write!(f, ", at byte {position}")?;
        }
        f.write_str(")")
    }
}
