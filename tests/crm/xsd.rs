//! A small XML Schema validator for Metadata API files, reading the
//! vendored schema of the Metadata WSDL (`salesforce/metadata-66.0.xsd`).
//!
//! It knows what that schema uses for the files procdef writes: named
//! complex types whose content is a sequence of elements with minOccurs
//! and maxOccurs, extensions of other complex types (the base's sequence
//! comes first), named simple types restricting a built-in type by
//! enumeration, and the built-in types string, boolean, int, long and
//! double. Anything else it meets on the way (choice, any, groups,
//! attributes in an instance, other facets or built-in types) is an error,
//! never a silent pass. A file's root element names its type, which must
//! extend `Metadata`, as for every file of a Metadata API folder.

use roxmltree::{Document, Node};
use std::collections::HashMap;
use std::sync::OnceLock;

pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
pub const METADATA: &str = "http://soap.sforce.com/2006/04/metadata";

pub struct Schema {
    doc: Document<'static>,
    complex: HashMap<String, usize>,
    simple: HashMap<String, usize>,
}

/// A type an element has.
#[derive(Clone, Copy)]
enum Type<'a> {
    Builtin(&'a str),
    Simple(Node<'a, 'static>),
    Complex(Node<'a, 'static>),
}

/// The vendored schema, read once.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/crm/salesforce/metadata-66.0.xsd");
        let text: &'static str =
            Box::leak(std::fs::read_to_string(path).expect("the vendored schema").into_boxed_str());
        Schema::parse(text)
    })
}

fn occurs(node: Node, attr: &str) -> usize {
    match node.attribute(attr) {
        None => 1,
        Some("unbounded") => usize::MAX,
        Some(n) => n.parse().expect("a number of occurrences"),
    }
}

fn is_xsd(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(XSD) && node.tag_name().name() == name
}

fn elements<'a>(node: Node<'a, 'static>) -> impl Iterator<Item = Node<'a, 'static>> {
    node.children().filter(|n| n.is_element())
}

impl Schema {
    pub fn parse(text: &'static str) -> Schema {
        let doc = Document::parse(text).expect("the schema is XML");
        let mut complex = HashMap::new();
        let mut simple = HashMap::new();
        let root = doc.root_element();
        assert!(is_xsd(&root, "schema"));
        assert_eq!(root.attribute("targetNamespace"), Some(METADATA));
        assert_eq!(root.attribute("elementFormDefault"), Some("qualified"));
        for (i, node) in root.children().enumerate() {
            if let Some(name) = node.attribute("name") {
                if is_xsd(&node, "complexType") {
                    complex.insert(name.to_string(), i);
                } else if is_xsd(&node, "simpleType") {
                    simple.insert(name.to_string(), i);
                }
            }
        }
        Schema { doc, complex, simple }
    }

    fn top(&self, i: usize) -> Node<'_, 'static> {
        self.doc.root_element().children().nth(i).expect("a top-level node")
    }

    fn complex_type(&self, name: &str) -> Option<Node<'_, 'static>> {
        self.complex.get(name).map(|i| self.top(*i))
    }

    /// The type a `type="prefix:name"` attribute of `at` names.
    fn resolve<'a>(&'a self, at: Node<'a, 'static>, qname: &'a str) -> Result<Type<'a>, String> {
        let (prefix, name) = qname.split_once(':').map_or((None, qname), |(p, n)| (Some(p), n));
        match at.lookup_namespace_uri(prefix) {
            Some(XSD) => Ok(Type::Builtin(name)),
            Some(METADATA) => {
                if let Some(i) = self.simple.get(name) {
                    Ok(Type::Simple(self.top(*i)))
                } else if let Some(i) = self.complex.get(name) {
                    Ok(Type::Complex(self.top(*i)))
                } else {
                    Err(format!("the schema has no type {name}"))
                }
            }
            other => Err(format!("type {qname} in an unknown namespace {other:?}")),
        }
    }

    /// The type of an `xsd:element` declaration.
    fn element_type<'a>(&'a self, decl: Node<'a, 'static>) -> Result<Type<'a>, String> {
        if let Some(t) = decl.attribute("type") {
            return self.resolve(decl, t);
        }
        match elements(decl).find(|n| !is_xsd(n, "annotation")) {
            Some(n) if is_xsd(&n, "complexType") => Ok(Type::Complex(n)),
            Some(n) if is_xsd(&n, "simpleType") => Ok(Type::Simple(n)),
            _ => Err(format!("element {:?} has a kind of type this validator does not know", decl.attribute("name"))),
        }
    }

    /// Whether complex type `name` is `Metadata` or extends it.
    pub fn extends_metadata(&self, name: &str) -> bool {
        let mut current = name.to_string();
        for _ in 0..64 {
            if current == "Metadata" {
                return true;
            }
            let Some(t) = self.complex_type(&current) else { return false };
            let base = elements(t)
                .find(|n| is_xsd(n, "complexContent"))
                .and_then(|c| elements(c).find(|n| is_xsd(n, "extension")))
                .and_then(|e| e.attribute("base"));
            match base {
                Some(b) => current = b.rsplit(':').next().unwrap_or(b).to_string(),
                None => return false,
            }
        }
        false
    }

    /// The element declarations of a complex type's content, in order:
    /// the base type's first for an extension.
    fn particles<'a>(&'a self, t: Node<'a, 'static>) -> Result<Vec<Node<'a, 'static>>, String> {
        let mut out = Vec::new();
        let name = t.attribute("name").unwrap_or("(anonymous)");
        if t.attribute("mixed") == Some("true") {
            return Err(format!("{name}: mixed content is not supported"));
        }
        for child in elements(t) {
            if is_xsd(&child, "annotation") || is_xsd(&child, "attribute") {
                continue;
            } else if is_xsd(&child, "sequence") {
                out.extend(self.sequence(child, name)?);
            } else if is_xsd(&child, "complexContent") {
                let ext = elements(child)
                    .find(|n| is_xsd(n, "extension"))
                    .ok_or_else(|| format!("{name}: only extensions of complex content are supported"))?;
                let base = ext.attribute("base").ok_or_else(|| format!("{name}: an extension without a base"))?;
                match self.resolve(ext, base)? {
                    Type::Complex(b) => out.extend(self.particles(b)?),
                    _ => return Err(format!("{name}: extends {base}, which is not a complex type")),
                }
                for part in elements(ext) {
                    if is_xsd(&part, "sequence") {
                        out.extend(self.sequence(part, name)?);
                    } else if !is_xsd(&part, "attribute") && !is_xsd(&part, "annotation") {
                        return Err(format!("{name}: xsd:{} is not supported", part.tag_name().name()));
                    }
                }
            } else {
                return Err(format!("{name}: xsd:{} is not supported", child.tag_name().name()));
            }
        }
        Ok(out)
    }

    fn sequence<'a>(&'a self, seq: Node<'a, 'static>, name: &str) -> Result<Vec<Node<'a, 'static>>, String> {
        if occurs(seq, "minOccurs") != 1 || occurs(seq, "maxOccurs") != 1 {
            return Err(format!("{name}: a repeated sequence is not supported"));
        }
        let mut out = Vec::new();
        for part in elements(seq) {
            if is_xsd(&part, "element") && part.attribute("name").is_some() {
                out.push(part);
            } else if !is_xsd(&part, "annotation") {
                return Err(format!("{name}: xsd:{} in a sequence is not supported", part.tag_name().name()));
            }
        }
        Ok(out)
    }

    /// Validates a whole Metadata API file; the error reads as xmllint's.
    pub fn validate_file(&self, text: &str) -> Result<(), String> {
        let doc = Document::parse(text).map_err(|e| format!("not well-formed XML: {e}"))?;
        let root = doc.root_element();
        let tag = root.tag_name();
        if tag.namespace() != Some(METADATA) {
            return Err(format!("the root element {} is not in the metadata namespace", tag.name()));
        }
        if !self.extends_metadata(tag.name()) {
            return Err(format!("the root element {} is not a metadata type", tag.name()));
        }
        let t = self.complex_type(tag.name()).expect("a type that extends Metadata exists");
        self.validate(root, Type::Complex(t))
    }

    fn validate(&self, el: Node, t: Type<'_>) -> Result<(), String> {
        let name = el.tag_name().name();
        if el.attributes().len() > 0 {
            return Err(format!("Element '{name}': attributes are not allowed"));
        }
        match t {
            Type::Builtin(b) => self.text_only(el).and_then(|text| builtin(name, b, &text)),
            Type::Simple(s) => {
                let text = self.text_only(el)?;
                simple(self, name, s, &text)
            }
            Type::Complex(c) => {
                for child in el.children() {
                    if child.is_text() && !child.text().unwrap_or("").trim().is_empty() {
                        return Err(format!("Element '{name}': character content is not allowed"));
                    }
                }
                let children: Vec<Node> = el.children().filter(|n| n.is_element()).collect();
                let mut i = 0;
                for decl in self.particles(c)? {
                    let want = decl.attribute("name").expect("a named element");
                    let (min, max) = (occurs(decl, "minOccurs"), occurs(decl, "maxOccurs"));
                    let mut count = 0;
                    while i < children.len()
                        && count < max
                        && children[i].tag_name().name() == want
                        && children[i].tag_name().namespace() == Some(METADATA)
                    {
                        self.validate(children[i], self.element_type(decl)?)?;
                        i += 1;
                        count += 1;
                    }
                    if count < min {
                        let found = children.get(i).map_or("the end".to_string(), |n| n.tag_name().name().to_string());
                        return Err(format!("Element '{name}': missing child element '{want}' (found {found})"));
                    }
                }
                if let Some(extra) = children.get(i) {
                    let ns = extra.tag_name().namespace().unwrap_or("");
                    return Err(format!("Element '{{{ns}}}{}': This element is not expected", extra.tag_name().name()));
                }
                Ok(())
            }
        }
    }

    fn text_only(&self, el: Node) -> Result<String, String> {
        if el.children().any(|n| n.is_element()) {
            return Err(format!("Element '{}': element content is not allowed", el.tag_name().name()));
        }
        Ok(el.text().unwrap_or("").to_string())
    }
}

fn simple<'a>(schema: &'a Schema, name: &str, s: Node<'a, 'static>, text: &str) -> Result<(), String> {
    let restriction = elements(s)
        .find(|n| is_xsd(n, "restriction"))
        .ok_or_else(|| format!("Element '{name}': only restrictions are supported as simple types"))?;
    let base = restriction.attribute("base").ok_or("a restriction without a base")?;
    match schema.resolve(restriction, base)? {
        Type::Builtin(b) => builtin(name, b, text)?,
        Type::Simple(inner) => simple(schema, name, inner, text)?,
        Type::Complex(_) => return Err(format!("Element '{name}': restricts a complex type")),
    }
    let mut values = Vec::new();
    for facet in elements(restriction) {
        if is_xsd(&facet, "enumeration") {
            values.push(facet.attribute("value").unwrap_or(""));
        } else if !is_xsd(&facet, "annotation") {
            return Err(format!("Element '{name}': the facet xsd:{} is not supported", facet.tag_name().name()));
        }
    }
    if !values.is_empty() && !values.contains(&text) {
        return Err(format!("Element '{name}': '{text}' is not an element of the set {values:?}"));
    }
    Ok(())
}

fn builtin(name: &str, b: &str, text: &str) -> Result<(), String> {
    // Every built-in type but string collapses white space first.
    let value = text.trim_matches([' ', '\t', '\n', '\r']);
    let ok = match b {
        "string" | "anyType" => true,
        "boolean" => matches!(value, "true" | "false" | "1" | "0"),
        "int" => value.parse::<i32>().is_ok(),
        "long" => value.parse::<i64>().is_ok(),
        "double" => {
            matches!(value, "INF" | "-INF" | "NaN")
                || (!value.is_empty()
                    && value.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                    && value.parse::<f64>().is_ok())
        }
        other => return Err(format!("Element '{name}': the built-in type xsd:{other} is not supported")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("Element '{name}': '{text}' is not a valid value of the atomic type 'xs:{b}'"))
    }
}
