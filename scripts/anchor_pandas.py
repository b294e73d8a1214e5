#!/usr/bin/python3
"""Anchor for the performance goals of issue 19: the status of the
contemplated municipalities computed the plain way, with pandas and
openpyxl, straight from the input files (no database).

    /usr/bin/python3 scripts/anchor_pandas.py PASTA > status.csv

reads every .xlsx/.csv under PASTA (data/samples or a `telemonitor demo`
folder), recognises each kind by its headers, applies the rules of
DOMAIN.md and prints the same CSV as `telemonitor status`. It needs
Debian's python3-pandas and python3-openpyxl (not pyenv's python) and is
not part of CI: scripts/anchor_compare.sh checks that both outputs are
identical and times them. It covers the variations the sample and scale
files have, not every variation FORMATS.md lists (the importers do).
"""
import csv
import os
import re
import sys
import unicodedata

import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BLOCK1 = [c.strip().lower() for c in os.environ.get("TELEMONITOR_BLOCO1_CURSOS", "telessaude_mg_bloco1").split(",")]


def fold(s):
    s = unicodedata.normalize("NFD", str(s))
    out, space = [], False
    for ch in s:
        if unicodedata.category(ch) == "Mn":
            continue
        if ch.isalnum():
            if space and out:
                out.append(" ")
            space = False
            out.append(ch.lower())
        else:
            space = True
    return "".join(out)


def key(s):
    return fold(s).replace(" ", "")


# Territory ---------------------------------------------------------------
REG = pd.read_csv(os.path.join(ROOT, "data/mg/regioes_saude.csv"), dtype=str)
BY_CODE = {r.ibge: r for r in REG.itertuples()}
BY_CODE6 = {r.ibge6: r.ibge for r in REG.itertuples()}
BY_KEY = {key(r.nome): r.ibge for r in REG.itertuples()}
for alt, official in {"Barão do Monte Alto": "Barão de Monte Alto", "Brasópolis": "Brazópolis",
                      "Dona Eusébia": "Dona Euzébia", "São Thomé das Letras": "São Tomé das Letras",
                      "Olhos d'Água": "Olhos-d'Água", "Passa-Vinte": "Passa Vinte"}.items():
    BY_KEY[key(alt)] = BY_KEY[key(official)]
UFS = set("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO".split())
SUFFIX = re.compile(r"(?i)\s*(/|-|–|\(|,)\s*([a-z]{2})\s*\)?\s*$")


def text(v):
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).replace("\u00a0", " ").split())


def resolve(v):
    s = text(v)
    if not s:
        return None
    if s.isdigit() and len(s) in (6, 7):
        return s if len(s) == 7 and s in BY_CODE else BY_CODE6.get(s[:6])
    m = SUFFIX.search(s)
    if m:
        if m.group(2).upper() != "MG":
            if m.group(2).upper() in UFS:
                return None
        else:
            s = s[: m.start()]
    return BY_KEY.get(key(s))


# Identifiers -------------------------------------------------------------
def cpf_ok(d):
    if len(d) != 11 or d == d[0] * 11:
        return False
    for n in (9, 10):
        s = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        if (s * 10 % 11) % 10 != int(d[n]):
            return False
    return True


def cpf(v):
    if isinstance(v, float):
        if not v.is_integer():
            return ""
        v = int(v)
    if isinstance(v, int):
        d = str(v).zfill(11)
        return d if cpf_ok(d) else ""
    s = text(v)
    if "e+" in s.lower():
        return ""
    d = re.sub(r"[\s.\-/]", "", s)
    if not d.isdigit():
        return ""
    if len(d) in (9, 10) and cpf_ok(d.zfill(11)):
        d = d.zfill(11)
    return d if cpf_ok(d) else ""


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(v):
    s = text(v).lower()
    return s if EMAIL.match(s) else ""


def phone(v):
    d = re.sub(r"\D", "", text(v))
    if d.startswith("55") and len(d) in (12, 13):
        d = d[2:]
    if d.startswith("0") and len(d) in (11, 12):
        d = d[1:]
    return len(d) in (10, 11)


YES = {"sim", "s", "yes", "y", "x", "1", "verdadeiro", "true", "assinado", "formalizado"}


# Reading -----------------------------------------------------------------
def sheets(path):
    """Every sheet of a file as a list of rows (lists of raw values)."""
    if path.endswith(".csv"):
        raw = open(path, "rb").read()
        for enc in ("utf-8-sig", "cp1252"):
            try:
                body = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        first = body.split("\n", 1)[0]
        sep = max([",", ";", "\t"], key=first.count)
        df = pd.read_csv(pd.io.common.StringIO(body), sep=sep, header=None, dtype=str, keep_default_na=False)
        return [(os.path.basename(path), df.values.tolist())]
    book = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    return [(name, df.astype(object).where(df.notna(), None).values.tolist()) for name, df in book.items()]


def find(rows, fields, required):
    """The header row within the first 20: column of each field key."""
    for i, row in enumerate(rows[:20]):
        cells = [fold(c) if c is not None else "" for c in row]
        alt = [fold(str(c).rstrip(":").rsplit(": ", 1)[-1]) if c is not None and ": " in str(c) else "" for c in row]
        cols = {}
        for k, (names, contains) in fields.items():
            for j, (c, a) in enumerate(zip(cells, alt)):
                if j in cols.values():
                    continue
                for n in names:
                    n = fold(n)
                    if c == n or a == n or (contains and f" {n} " in f" {c} "):
                        cols[k] = j
                        break
                if k in cols:
                    break
        if all(any(k in cols for k in g) for g in required):
            return i, cols
    return None, None


MUNI = ["Município", "Municipio", "Cidade/Município"]
IBGE = ["Código IBGE", "IBGE", "Cod IBGE"]
KINDS = {
    "teleconsultas": ({"sent": (["Data da solicitação", "Data/hora da solicitação", "Enviada em", "Abertura"], False)}, [["sent"]]),
    "moodle": ({"nome": (["Name", "Nome", "Full name", "Nome completo"], False),
                "email": (["Email address", "Endereço de email", "Endereço de e-mail", "Email", "E-mail"], False),
                "cpf": (["CPF"], False), "curso": (["Course short name", "Nome breve do curso"], False),
                "hora": (["Time completed", "Data de conclusão do curso", "Concluído em"], False),
                "concl": (["Course complete", "Curso concluído"], False)}, [["nome", "email", "cpf"], ["hora", "concl"]]),
    "pontofocal": ({"muni": (["Município", "Código IBGE"], True), "nome": (["Nome completo do ponto focal", "Nome do ponto focal"], True),
                    "email": (["E-mail do ponto focal"], True), "fone": (["Telefone", "Celular", "WhatsApp"], True),
                    "hora": (["Hora de conclusão", "Completion time"], False)}, [["hora"], ["muni"], ["nome"]]),
    "cadastro": ({"muni": (MUNI, False), "ibge": (IBGE, False),
                  "nome": (["Nome", "Nome completo", "Nome do profissional"], False), "cpf": (["CPF"], False),
                  "ine": (["INE", "Equipe (INE)", "Código INE"], False),
                  "nivel": (["Nível de atenção", "Ponto de atenção", "APS/AAE"], False),
                  "email": (["E-mail", "Email", "Endereço de e-mail"], False)}, [["nome"], ["cpf"]]),
    "envio": ({"muni": (MUNI, False), "data": (["Data de envio"], False)}, [["data"]]),
    "formalizacao": ({"muni": (MUNI, False), "ibge": (IBGE, False),
                      "sit": (["Instrumento assinado", "Assinado", "Situação", "Status"], False)}, [["muni", "ibge"], ["sit"]]),
    "abrangencia": ({"ibge": (IBGE, False), "muni": (MUNI, False),
                     "nucleo": (["Núcleo", "Núcleo prestador", "Núcleo de Telessaúde"], False),
                     "sede": (["Sede AAE", "Sede de ponto de AAE", "Ponto AAE"], False),
                     "estr": (["AAE em estruturação", "Ampliação da Média Complexidade"], False)}, [["muni", "ibge"], ["nucleo"]]),
}
NUCLEOS = {key(n): c for c, names in {"FM-UFMG": ["FM-UFMG", "Faculdade de Medicina - UFMG", "NUTEL FM"],
                                      "Feluma": ["Feluma", "Fundação Lucas Machado"],
                                      "HC-UFMG": ["HC-UFMG", "Hospital das Clínicas - UFMG", "CTS HC"]}.items() for n in names}
ORDER = ["abrangencia", "formalizacao", "pontofocal", "cadastro", "moodle", "envio"]
TITLE = re.compile(r"(?i)^munic[ií]pio\s*(:|-|–)\s*(.+)$")


def kind_of(path, book):
    for _, rows in book:
        for k in ["moodle", "pontofocal", "teleconsultas", "cadastro", "envio", "formalizacao", "abrangencia"]:
            if find(rows, *KINDS[k])[0] is not None:
                return k
    return None


def data_rows(rows, head):
    for row in rows[head + 1:]:
        cells = [text(c) for c in row]
        if not any(cells):
            continue
        first = next(c for c in cells if c)
        if fold(first).startswith("total"):
            continue
        yield row


def cell(row, cols, k):
    j = cols.get(k)
    return row[j] if j is not None and j < len(row) else None


def row_muni(row, cols, default=None):
    for k in ("ibge", "muni"):
        if text(cell(row, cols, k)):
            return resolve(cell(row, cols, k))
    return default


# The programme -----------------------------------------------------------
coverage, formal, focal, sheets_by, completions = {}, {}, set(), {}, []


def load(path, book, kind):
    fields, required = KINDS[kind]
    if kind == "abrangencia":
        coverage.clear()
    for sheet, rows in book:
        head, cols = find(rows, fields, required)
        if head is None:
            continue
        if kind == "abrangencia":
            for r in data_rows(rows, head):
                m, n = row_muni(r, cols), NUCLEOS.get(key(text(cell(r, cols, "nucleo"))))
                if m and n and m not in coverage:
                    coverage[m] = (n, fold(text(cell(r, cols, "sede"))) in YES, fold(text(cell(r, cols, "estr"))) in YES)
        elif kind == "formalizacao":
            for r in data_rows(rows, head):
                m = row_muni(r, cols)
                if m:
                    formal[m] = fold(text(cell(r, cols, "sit"))) in YES
        elif kind == "pontofocal":
            for r in data_rows(rows, head):
                m = resolve(cell(r, cols, "muni"))
                if m and text(cell(r, cols, "nome")) and (email(cell(r, cols, "email")) or phone(cell(r, cols, "fone"))):
                    focal.add(m)
        elif kind == "cadastro":
            title = None
            for r in rows[:head]:
                for c in r:
                    t = TITLE.match(text(c))
                    if t:
                        title = title or resolve(t.group(2).strip())
            if title is None and "muni" not in cols and "ibge" not in cols:
                name = re.sub(r"(?i)^(planilha_)?cadastro(_profissionais)?_|_teleconsultoria$", "",
                              os.path.splitext(os.path.basename(path))[0])
                title = resolve(name.replace("_", " ").replace("-", " "))
            found = {}
            for r in data_rows(rows, head):
                m, c = row_muni(r, cols, title), cpf(cell(r, cols, "cpf"))
                if not m or not c or not text(cell(r, cols, "nome")):
                    continue
                lvl = fold(text(cell(r, cols, "nivel")))
                if lvl in ("aps", "atencao primaria", "ab"):
                    lvl = "APS"
                elif lvl in ("aae", "atencao especializada", "ambulatorial especializada"):
                    lvl = "AAE"
                else:
                    lvl = "APS" if re.sub(r"\D", "", text(cell(r, cols, "ine"))) else ""
                found.setdefault(m, {}).setdefault(c, (lvl, email(cell(r, cols, "email"))))
            for m, people in found.items():
                sheets_by.setdefault(path, {}).setdefault(m, {}).update(people)
        elif kind == "moodle":
            course = None
            fm = re.match(r"^completion-(.+)-\d{8}_\d{4}-comma_separated", os.path.basename(path))
            if fm:
                course = fm.group(1)
            date = "concl" if "concl" in cols else "hora"
            for r in data_rows(rows, head):
                c = text(cell(r, cols, "curso")) or course or ""
                if c.lower() not in BLOCK1 or not text(cell(r, cols, date)):
                    continue
                completions.append((cpf(cell(r, cols, "cpf")), email(cell(r, cols, "email"))))


def main(folder):
    files = []
    for d, _, names in os.walk(folder):
        if os.path.basename(d) == "expected":
            continue
        files += [os.path.join(d, n) for n in names if n.endswith((".xlsx", ".csv"))]
    books = []
    for p in files:
        book = sheets(p)
        k = kind_of(p, book)
        if k in ORDER:  # teleconsultations change no status
            books.append((ORDER.index(k), p, book, k))
    books.sort(key=lambda b: (b[0], b[1]))
    for _, p, book, k in books:
        load(p, book, k)
    # The current sheet of each municipality is the last file that has it.
    professionals = {}
    for p, munis in sheets_by.items():
        for m, people in munis.items():
            professionals[m] = people
    by_cpf = {c for c, _ in completions if c}
    by_mail = {e for c, e in completions if not c and e}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["ibge", "municipio", "macrorregiao", "microrregiao", "urs", "nucleo", "formalizacao", "ponto_focal",
                  "capacitacao_aps", "capacitacao_aae", "planilha", "situacao"])
    for m in sorted(coverage):
        nucleo, seat, setup = coverage[m]
        people = professionals.get(m, {})
        trained = {lvl for c, (lvl, e) in people.items() if c in by_cpf or (e and e in by_mail)}
        st = {"formalizacao": formal.get(m, False), "ponto_focal": m in focal, "planilha": bool(people),
              "capacitacao_aps": "APS" in trained}
        aae = "nao_se_aplica" if not seat else "suspensa" if setup else "cumprida" if "AAE" in trained else "pendente"
        word = {True: "cumprida", False: "pendente"}
        apto = all(st.values()) and aae != "pendente"
        r = BY_CODE[m]
        out.writerow([m, r.nome, r.macro_nome, r.micro_nome, r.urs_nome, nucleo, word[st["formalizacao"]],
                      word[st["ponto_focal"]], word[st["capacitacao_aps"]], aae, word[st["planilha"]],
                      "apto" if apto else "pendente"])


if __name__ == "__main__":
    main(sys.argv[1])
