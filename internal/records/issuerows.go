package records

// Personal says which personal datum a column of an imported file holds.
type Personal string

// The personal data of FORMATS.md, by the kinds' field keys.
const (
	NotPersonal   Personal = ""
	PersonalCPF   Personal = "cpf"
	PersonalCNS   Personal = "cns"
	PersonalEmail Personal = "email"
	PersonalPhone Personal = "telefone"
)

// Column is a column of an imported file, by its header as written.
type Column struct {
	Name     string
	Personal Personal
	// Known: the kind reads this column (a field of its spec). Other
	// columns (free questions of a form, notes) may hold anything.
	Known bool
}

// IssueRow is an issue with the row it is about, as the file has it.
type IssueRow struct {
	Issue
	IBGE         string // the row's municipality, "" when it does not resolve
	Municipality string // its name, or what the row says when unresolved
	Values       []string
}

// IssueRows are a batch's issues with their rows: Values of each row go
// one for one with Columns (the headers of every sheet with issues).
type IssueRows struct {
	Columns []Column
	Rows    []IssueRow
}

// Reveal says which personal values a reader sees in full; the rest is
// masked (ident.MaskCPF, ident.MaskEmail). auth.Principal.Reveal gives a
// role's.
type Reveal struct {
	CPF      bool // full CPF (reconciliation with Moodle and CNES is SES's job)
	Contacts bool // full e-mail and phone in exports (follow-up e-mails)
}
