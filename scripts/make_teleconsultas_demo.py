#!/usr/bin/env python3
"""Writes the demo teleconsultation exports of the three núcleos into
data/samples/teleconsultas/ and, from the generator's own model (never by
reading the files back, and without any code of the Go package under test),
the truth table data/samples/expected/expected_sla.csv, which
`telemonitor sla --por nucleo,especialidade --em "2025-07-01 08:00"` must
reproduce exactly after importing the samples. It also appends the files'
counts to expected_imports.csv (replacing earlier teleconsultas rows).

Model: the apto municipalities of expected_status.csv ask questions from
January to June 2025; each núcleo exports, on the 1st of the next month at
08:00, the requests sent that month plus the earlier ones whose state
changed since (answered, cancelled, returned): a later file updates a
request. Feluma is slower; a few apto municipalities never use the service
or stopped in March. Deterministic (fixed seed). Standard library only.

Usage: python3 scripts/make_teleconsultas_demo.py  (from the repository root)
"""
import csv, datetime as dt, io, math, os, random, zipfile
from collections import defaultdict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SAMPLES = os.path.join(ROOT, "data", "samples")
OUT = os.path.join(SAMPLES, "teleconsultas")
REF = dt.datetime(2025, 7, 1, 8, 0)  # export time of the June files = --em
MONTHS = [(2025, m) for m in range(1, 7)]
SPECIALTIES = {  # weight (share of questions)
    "Dermatologia": 18, "Endocrinologia": 12, "Cardiologia": 11, "Ortopedia": 9, "Ginecologia": 8, "Pediatria": 8,
    "Neurologia": 7, "Reumatologia": 5, "Gastrenterologia": 5, "Urologia": 4, "Pneumologia": 4, "Obstetrícia": 3,
    "Nefrologia": 2, "Geriatria": 2, "Mastologia": 1.5, "Proctologia": 1}
SLOW = {"Neurologia": 1.6, "Reumatologia": 1.4, "Endocrinologia": 1.2}
NUCLEO_MEDIAN_H = {"FM-UFMG": 20, "Feluma": 46, "HC-UFMG": 26}
SATISFACTION = ["Muito insatisfeito", "Insatisfeito", "Indiferente", "Satisfeito", "Muito satisfeito"]
rnd = random.Random(20250701)


def cpf():
    d = [rnd.randint(0, 9) for _ in range(9)]
    for n in (10, 11):
        s = sum(v * w for v, w in zip(d, range(n, 1, -1)))
        d.append(0 if s % 11 < 2 else 11 - s % 11)
    return "".join(map(str, d))


def municipalities():
    with open(os.path.join(SAMPLES, "expected", "expected_status.csv"), encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["situacao"] == "apto"]


def sent_time(y, m):
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    while True:
        day = dt.date(y, m, rnd.randint(1, last))
        if day.weekday() < 5 or rnd.random() < 0.1:
            break
    return dt.datetime(y, m, day.day, rnd.randint(7, 18), rnd.randint(0, 59))


def build():
    reqs = []
    munis = municipalities()
    rnd.shuffle(munis)
    never, stopped = munis[:8], munis[8:13]
    seq = defaultdict(int)
    for mu in munis[8:]:
        rate = min(30, max(1, rnd.lognormvariate(1.8, 0.7)))
        for (y, m) in MONTHS:
            if mu in stopped and m > 3:
                continue
            for _ in range(int(rnd.random() * 2 * rate)):
                reqs.append(request(mu, sent_time(y, m), seq))
    # The 72-hour edge, exactly: answered at 72 h 00 min and at 72 h 01 min.
    for k, mu in enumerate(munis[20:26]):
        r = request(mu, dt.datetime(2025, 5, 12, 9, 30), seq)
        r.update(answered=r["sent"] + dt.timedelta(minutes=4320 + k % 2), cancelled=None, returned=None)
        reqs.append(r)
    return reqs, munis


def request(mu, sent, seq):
    nucleo = mu["nucleo"]
    seq[nucleo] += 1
    spec = rnd.choices(list(SPECIALTIES), weights=list(SPECIALTIES.values()))[0]
    if nucleo == "Feluma" and rnd.random() < 0.004:
        spec = "Medicina de Família"  # outside the 16: kept as given, with a warning
    hours = rnd.lognormvariate(math.log(NUCLEO_MEDIAN_H[nucleo] * SLOW.get(spec, 1)), 0.55)
    r = dict(nucleo=nucleo, id=seq[nucleo], ibge=mu["ibge"], name=mu["municipio"], spec=spec, sent=sent,
             answered=sent + dt.timedelta(minutes=max(5, round(hours * 60))), cancelled=None, returned=None,
             cpf=cpf(), cbo=rnd.choice(["225142", "225125", "223505", "2231F9"]), cnes="%07d" % rnd.randint(2000000, 9999999),
             avoided=rnd.choice(["Sim", "Sim", "Sim", "Não", "Não se aplica", ""]), sat=rnd.choice(SATISFACTION[1:] + ["", "Muito satisfeito"]))
    x = rnd.random()
    if x < 0.025:
        r["answered"] = None  # never answered (overdue unless recent)
    elif x < 0.045:
        r["cancelled"], r["answered"] = sent + dt.timedelta(hours=rnd.randint(1, 60)), None
    elif x < 0.085:
        r["returned"] = sent + dt.timedelta(hours=rnd.randint(2, 30))
        if rnd.random() < 0.3:
            r["answered"] = None  # still waiting for the requester
        else:
            r["answered"] = r["returned"] + dt.timedelta(hours=rnd.randint(12, 120))
    return r


def state(r, at):
    """The request as an export at `at` shows it: status, answered-at."""
    if r["cancelled"] and r["cancelled"] <= at:
        return "Cancelada", None
    if r["answered"] and r["answered"] <= at:
        return "Respondida", r["answered"]
    if r["returned"] and r["returned"] <= at:
        return "Devolvida", None
    return "Em análise", None


def exports(reqs):
    """Per núcleo and month, the rows of that month's export."""
    out = defaultdict(list)
    for (y, m) in MONTHS:
        start = dt.datetime(y, m, 1)
        at = dt.datetime(y + m // 12, m % 12 + 1, 1, 8, 0)
        prev = dt.datetime(y, m, 1, 8, 0)
        for r in reqs:
            if r["sent"] >= at:
                continue
            new = r["sent"] >= start
            if not new and state(r, prev) == state(r, at):
                continue
            out[(r["nucleo"], y, m)].append((r,) + state(r, at))
    return out


def fmt_br(t):
    return t.strftime("%d/%m/%Y %H:%M") if t else ""


def serial(t):
    return (t - dt.datetime(1899, 12, 30)).total_seconds() / 86400 if t else None


def write_fm(rows, y, m, counts):
    header = ["Protocolo", "Município do solicitante", "Data/hora da solicitação", "Data/hora da resposta", "Situação",
              "Especialidade", "CPF do solicitante", "CBO do solicitante", "CNES", "Evitou encaminhamento?", "Grau de satisfação"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    for r, status, ans in rows:
        done = status == "Respondida"
        w.writerow(["FM-%05d" % r["id"], r["name"], fmt_br(r["sent"]), fmt_br(ans), status, r["spec"],
                    "%s.%s.%s-%s" % (r["cpf"][:3], r["cpf"][3:6], r["cpf"][6:9], r["cpf"][9:]), r["cbo"], r["cnes"],
                    r["avoided"] if done else "", r["sat"] if done else ""])
    name = "teleconsultas_FM-UFMG_%d-%02d.csv" % (y, m)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    counts[name] = (len(rows), len(rows), 0, "", "")


def write_hc(rows, y, m, counts):
    header = ["Nº da solicitação", "Núcleo de Telessaúde", "Código IBGE", "Enviada em", "Respondida em", "Situação", "Área",
              "CBO do solicitante", "CNES"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=",", lineterminator="\r\n")
    w.writerow(["Teleconsultorias assíncronas – Centro de Telessaúde do HC-UFMG"] + [""] * (len(header) - 1))
    w.writerow(header)
    iso = lambda t: t.strftime("%Y-%m-%d %H:%M:%S") if t else ""
    for r, status, ans in rows:
        w.writerow([r["id"], "Hospital das Clínicas - UFMG", r["ibge"][:6], iso(r["sent"]), iso(ans), status, r["spec"],
                    r["cbo"], r["cnes"]])
    rejected = 0
    if m == 3:  # a row typed by hand: answered before it was sent (rejected)
        w.writerow(["HC-MANUAL-1", "HC-UFMG", "310620", "2025-03-10 10:00:00", "2025-03-09 10:00:00", "Respondida", "Pediatria", "", ""])
        rejected = 1
    name = "hc-ufmg_teleconsultas_%d-%02d.csv" % (y, m)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf.getvalue().encode("cp1252"))
    counts[name] = (len(rows) + rejected, len(rows), rejected,
                    "resposta_antes_da_solicitacao=1" if rejected else "", "")


def xlsx(path, sheet, title, header, rows):
    """A minimal .xlsx: inline strings, numbers as number cells."""
    def col(i):
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    xml_rows = []
    for n, cells in enumerate([[title], [], header] + rows, start=1):
        cs = []
        for i, v in enumerate(cells):
            ref = "%s%d" % (col(i), n)
            if v is None or v == "":
                continue
            if isinstance(v, (int, float)):
                cs.append('<c r="%s"><v>%r</v></c>' % (ref, v))
            else:
                cs.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(v)))
        xml_rows.append('<row r="%d">%s</row>' % (n, "".join(cs)))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>' % esc(sheet),
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>' % "".join(xml_rows),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, body in files.items():
            zi = zipfile.ZipInfo(n, date_time=(2025, 7, 1, 8, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, body)


def write_feluma(rows, y, m, counts):
    header = ["ID", "Núcleo", "Código IBGE", "Data da solicitação", "Data da resposta", "Status",
              "Especialidade do teleconsultor", "Evitou encaminhamento", "Satisfação"]
    out, unknown = [], 0
    for r, status, ans in rows:
        done = status == "Respondida"
        unknown += r["spec"] not in SPECIALTIES
        out.append([r["id"], "Fundação Lucas Machado", int(r["ibge"]), serial(r["sent"]), serial(ans), status, r["spec"],
                    r["avoided"] if done else "", r["sat"] if done else ""])
    name = "Feluma_solicitacoes_%d-%02d.xlsx" % (y, m)
    xlsx(os.path.join(OUT, name), "Solicitações", "Relatório mensal de teleconsultorias – Feluma", header, out)
    counts[name] = (len(rows), len(rows), 0, "", "especialidade_desconhecida=%d" % unknown if unknown else "")


def truth(reqs):
    groups = defaultdict(lambda: dict(n=0, ans=0, ok=0, late=0, mins=[]))
    for r in reqs:
        status, ans = state(r, REF)
        if status == "Cancelada":
            continue
        g = groups[(r["nucleo"], r["spec"])]
        g["n"] += 1
        if ans:
            mins = int((ans - r["sent"]).total_seconds()) // 60
            g["ans"] += 1
            g["ok"] += mins <= 4320
            g["mins"].append(mins)
        elif (REF - r["sent"]).total_seconds() > 4320 * 60:
            g["late"] += 1
    def tenths(num, den):  # num/den in tenths, half away from zero (num, den >= 0)
        return (2 * num * 10 + den) // (2 * den)
    def dec(t):
        return "%d.%d" % (t // 10, t % 10)
    rows = []
    for key in sorted(groups):
        g = groups[key]
        den = g["ans"] + g["late"]
        pct = dec(tenths(100 * g["ok"], den)) if den else ""
        mins = sorted(g["mins"])
        rank = lambda p: mins[max(1, math.ceil(len(mins) * p / 100)) - 1]
        med = dec(tenths(rank(50), 60)) if mins else ""
        p90 = dec(tenths(rank(90), 60)) if mins else ""
        rows.append(list(key) + [g["n"], g["ans"], g["ok"], g["late"], pct, med, p90])
    with open(os.path.join(SAMPLES, "expected", "expected_sla.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["nucleo", "especialidade", "solicitacoes", "respondidas", "respondidas_72h", "em_atraso", "pct_72h",
                    "mediana_horas", "p90_horas"])
        w.writerows(rows)


def idle(reqs, munis):
    """expected_aptos_sem_uso.csv: the apto municipalities with no request
    (cancelled ones do not count) sent in the 90 days up to REF. Every apto
    municipality of the model was apto long before 2025 (the demo stamps
    each file with the date it was received, 2024 for the condition files)."""
    since = REF - dt.timedelta(days=90)
    used = {r["ibge"] for r in reqs if not (r["cancelled"] and r["cancelled"] <= REF) and since <= r["sent"] <= REF}
    rows = sorted((m["ibge"], m["municipio"]) for m in munis if m["ibge"] not in used)
    with open(os.path.join(SAMPLES, "expected", "expected_aptos_sem_uso.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ibge", "municipio"])
        w.writerows(rows)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    reqs, munis = build()
    counts = {}
    writers = {"FM-UFMG": write_fm, "Feluma": write_feluma, "HC-UFMG": write_hc}
    for (nucleo, y, m), rows in sorted(exports(reqs).items()):
        writers[nucleo](rows, y, m, counts)
    truth(reqs)
    idle(reqs, munis)
    path = os.path.join(SAMPLES, "expected", "expected_imports.csv")
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if not l.startswith("teleconsultas/")]
    for name in sorted(counts):
        read, acc, rej, reasons, warnings = counts[name]
        sheet = "Solicitações" if name.endswith(".xlsx") else ""
        lines.append(",".join(["teleconsultas/" + name, "teleconsultas", sheet, str(read), str(acc), str(rej), reasons, "0", "",
                               warnings]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("%d requests, %d files" % (len(reqs), len(counts)))


if __name__ == "__main__":
    main()
