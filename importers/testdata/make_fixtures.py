#!/usr/bin/python3
"""Writes the importer fixtures with the software that produces such files.

Run once by hand; the files it writes are committed, so CI needs none of
these tools. Needs (Debian): libreoffice-calc-nogui (or libreoffice-calc),
python3-openpyxl, python3-pandas; and node/npm for SheetJS and
officecrypto-tool, installed in a temporary folder, never in the repo.

    apt-get install -y libreoffice-calc-nogui python3-openpyxl python3-pandas nodejs npm
    /usr/bin/python3 importers/testdata/make_fixtures.py

Writes one small file per importer fix (issue 14), beside the tests that
read it:
  importers/cadastro/testdata/   cadastro_*: registration sheets
  importers/envio/testdata/      envio_*: data-sent sheets
  importers/testdata/fixtures/   files refused as a whole (a password, .xls)
and:
  importers/testdata/variants/   the shared sample set (data/samples) re-saved
                                 by LibreOffice (.xlsx and .ods), by openpyxl,
                                 and as Excel-pt-BR CSVs (every sheet, ';',
                                 Windows-1252), as variants.tar.gz
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(REPO, "data", "samples")
IMPORTERS = os.path.dirname(HERE)
FIXTURES = os.path.join(HERE, "fixtures")  # about the file as a whole
CADASTRO = os.path.join(IMPORTERS, "cadastro", "testdata")
ENVIO = os.path.join(IMPORTERS, "envio", "testdata")
WORK = tempfile.mkdtemp(prefix="telemonitor-fixtures-")
PROFILE = "file://" + os.path.join(WORK, "lo-profile")
# File names in UTF-8 (a sheet named "Abrangência" becomes part of a CSV's
# name); dates and numbers formatted as in Brazil by the profile's locale
# (see pt_br_profile), which needs no system locale installed.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
ENV["LANG"] = "C.UTF-8"

# CSV export filter of LibreOffice: ';' separator, '"' quotes, Windows-1252
# (1), from line 1, language pt-BR (1046), quote text cells off, detect
# special numbers off, save as shown, formulas off, no BOM; the last token
# (-1) writes every sheet to <name>-<sheet>.csv.
CSV_EXPORT = "csv:Text - txt - csv (StarCalc):59,34,1,1,,1046,false,true,false,false,false,-1"
# CSV import as a pt-BR user opens a file: ';' separator, UTF-8 (76),
# language pt-BR, detect special numbers (so "2,9684E+14" becomes a number).
CSV_IMPORT_PT_BR = "59,34,76,1,,1046,false,true"


def pt_br_profile():
    """A LibreOffice profile whose locale is pt-BR, as a Brazilian office's."""
    user = os.path.join(WORK, "lo-profile", "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w") as f:
        f.write("""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>pt-BR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>pt-BR</value></prop></item>
</oor:items>
""")


def soffice(*args, cwd=None):
    if not os.path.exists(os.path.join(WORK, "lo-profile")):
        pt_br_profile()
    subprocess.run(["soffice", "-env:UserInstallation=" + PROFILE, "--headless", "--norestore", *args],
                   check=True, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def convert(src, target, outdir, infilter=None):
    """Converts a file, or a list of files in one LibreOffice run."""
    os.makedirs(outdir, exist_ok=True)
    args = ["--convert-to", target, "--outdir", outdir]
    if infilter:
        args = ["--infilter=" + infilter] + args
    soffice(*args, *([src] if isinstance(src, str) else src))


def cpf_check(nine):
    d = nine
    for n in (9, 10):
        s = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        r = s % 11
        d += str(0 if r < 2 else 11 - r)
    return d


def fixtures():
    for d in (FIXTURES, CADASTRO, ENVIO):
        os.makedirs(d, exist_ok=True)
    import openpyxl
    import pandas as pd

    # CPFs whose leading zeros a number column dropped: 10 digits left, 9
    # digits left, and 10 digits that are wrong even padded.
    lost10 = cpf_check("089424716")[1:]
    lost9 = cpf_check("001234567")[2:]
    wrong10 = lost10[:-1] + str((int(lost10[-1]) + 1) % 10)
    header = ["Município", "Nome completo", "CPF", "CNS", "CNES", "INE", "Nível de atenção", "E-mail"]
    rows = [
        ["Itabira", "Maria Zeros Perdidos", lost10, "", "947202", "0001234567", "APS", "maria@saude.mg.gov.br"],
        ["Itabira", "João Nove Dígitos", lost9, "", "2204010", "", "AAE", "joao@saude.mg.gov.br"],
        ["Itabira", "Ana Inválida", wrong10, "", "", "", "APS", "ana@saude.mg.gov.br"],
    ]

    # 1. pandas, every cell text (dtype=str), written by openpyxl.
    df = pd.DataFrame(rows, columns=header, dtype=str)
    df.to_excel(os.path.join(CADASTRO, "cadastro_texto_pandas.xlsx"), index=False, sheet_name="Sheet1")

    # 2. The same sheet with CPF and CNES as number cells, saved by
    # LibreOffice as Excel pt-BR saves "CSV (separado por vírgulas)".
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Planilha1"
    ws.append(header)
    for r in rows:
        ws.append([int(c) if i in (2, 4) and c else c for i, c in enumerate(r)])
    numbers = os.path.join(WORK, "cadastro_numeros_excel_ptbr.xlsx")
    wb.save(numbers)
    convert(numbers, CSV_EXPORT, WORK)
    shutil.copy(os.path.join(WORK, "cadastro_numeros_excel_ptbr-Planilha1.csv"),
                os.path.join(CADASTRO, "cadastro_excel_ptbr.csv"))

    # 3. Calc opening a CSV where Excel had shown CNS and a CPF in
    # scientific notation: the text becomes a number formatted 0.00E+00.
    sci = os.path.join(WORK, "cadastro_cientifico.csv")
    with open(sci, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Município", "Nome completo", "CPF", "CNS", "Nível de atenção"])
        w.writerow(["Itabira", "Carla CNS Perdido", "52998224725", "2,9684E+14", "APS"])
        w.writerow(["Itabira", "Bruno CPF Perdido", "1,11445E+10", "", "APS"])
        w.writerow(["Itabira", "Paula Intacta", "11144477735", "", "APS"])
    for ext, target in (("xlsx", "xlsx:Calc MS Excel 2007 XML"), ("ods", "ods")):
        convert(sci, target, WORK, infilter="Text - txt - csv (StarCalc):" + CSV_IMPORT_PT_BR)
        shutil.copy(os.path.join(WORK, "cadastro_cientifico." + ext),
                    os.path.join(CADASTRO, "cadastro_cientifico_calc." + ext))

    # 4. SheetJS with cellDates: ISO 8601 date cells (t="d").
    sheetjs = os.path.join(WORK, "sheetjs")
    os.makedirs(sheetjs)
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "xlsx", "officecrypto-tool"], cwd=sheetjs, check=True,
                   stdout=subprocess.DEVNULL)
    script = """
const XLSX = require('xlsx');
// Midnight in Brasília (what a browser in Brazil writes), an afternoon,
// and midnight UTC (the form of issue 14), which is 21:00 the day before
// in Brasília.
const rows = [["Município", "Data de envio"],
  ["Itabira", new Date(Date.UTC(2025, 6, 27, 3, 0, 0))],
  ["Bicas", new Date(Date.UTC(2025, 6, 28, 15, 30, 0))],
  ["Muriaé", new Date(Date.UTC(2025, 6, 27, 0, 0, 0))]];
const ws = XLSX.utils.aoa_to_sheet(rows, {cellDates: true});
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, "Envios");
XLSX.writeFile(wb, process.argv[2], {cellDates: true, compression: true});
"""
    with open(os.path.join(sheetjs, "make.js"), "w") as f:
        f.write(script)
    subprocess.run(["node", "make.js", os.path.join(ENVIO, "envio_datas_iso_sheetjs.xlsx")], cwd=sheetjs, check=True)

    # 5. A workbook with a password (an encrypted OOXML package inside an
    # OLE container), and the same workbook saved by LibreOffice as a real
    # .xls (also an OLE container).
    plain = os.path.join(WORK, "senha.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["Município", "Data de envio"])
    wb.active.append(["Itabira", "27/07/2025"])
    wb.save(plain)
    with_password(plain, os.path.join(FIXTURES, "protegida_senha.xlsx"), "senha123", sheetjs)
    convert(plain, "xls:MS Excel 97", WORK)
    shutil.copy(os.path.join(WORK, "senha.xls"), os.path.join(FIXTURES, "legado_excel97.xls"))

    # 6. A sample registration sheet saved by LibreOffice as .ods.
    src = os.path.join(SAMPLES, "cadastro", "FM-UFMG", "Planilha_cadastro_profissionais_Campos_Altos.xlsx")
    convert(src, "ods", WORK)
    shutil.copy(os.path.join(WORK, "Planilha_cadastro_profissionais_Campos_Altos.ods"),
                os.path.join(CADASTRO, "cadastro_Campos_Altos_libreoffice.ods"))


def with_password(src, dst, password, npm_dir):
    """Encrypts src as Excel does when a password is set (an OOXML package
    encrypted inside an OLE container), with officecrypto-tool from npm."""
    script = """
const officeCrypto = require('officecrypto-tool');
const fs = require('fs');
(async () => {
  const out = await officeCrypto.encrypt(fs.readFileSync(process.argv[2]), {password: process.argv[4]});
  fs.writeFileSync(process.argv[3], out);
})();
"""
    with open(os.path.join(npm_dir, "encrypt.js"), "w") as f:
        f.write(script)
    subprocess.run(["node", "encrypt.js", src, dst, password], cwd=npm_dir, check=True)


def sample_files():
    for root, dirs, files in os.walk(SAMPLES):
        dirs[:] = [d for d in dirs if d != "expected"]
        for name in files:
            if name.endswith((".xlsx", ".csv")):
                yield os.path.relpath(os.path.join(root, name), SAMPLES)


def variants():
    import openpyxl

    out = os.path.join(WORK, "variants")
    by_folder = {}
    for rel in sorted(sample_files()):
        src = os.path.join(SAMPLES, rel)
        sub = os.path.dirname(rel)
        if rel.endswith(".csv"):
            # Not spreadsheets of these programs: copied to the spreadsheet
            # variants; re-encoded as Excel pt-BR would save them.
            for v in ("libreoffice", "libreoffice-ods", "openpyxl"):
                os.makedirs(os.path.join(out, v, sub), exist_ok=True)
                shutil.copy(src, os.path.join(out, v, rel))
            csv_ptbr(src, os.path.join(out, "csv-ptbr", rel))
            continue
        by_folder.setdefault(sub, []).append(src)
        os.makedirs(os.path.join(out, "openpyxl", sub), exist_ok=True)
        openpyxl.load_workbook(src).save(os.path.join(out, "openpyxl", rel))
    for sub, files in sorted(by_folder.items()):
        convert(files, "xlsx:Calc MS Excel 2007 XML", os.path.join(out, "libreoffice", sub))
        convert(files, "ods", os.path.join(out, "libreoffice-ods", sub))
        convert(files, CSV_EXPORT, os.path.join(out, "csv-ptbr", sub))
    archive = os.path.join(HERE, "variants.tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=9) as tar:
        for v in sorted(os.listdir(out)):
            tar.add(os.path.join(out, v), arcname=v, filter=reproducible)


def reproducible(info):
    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
    return info


def csv_ptbr(src, dst):
    """A CSV as Excel pt-BR saves it: ';' and Windows-1252, CRLF."""
    with open(src, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xff\xfe"):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
    sample = text.split("\n", 1)[0]
    sep = ";" if sample.count(";") > sample.count(",") else ("\t" if "\t" in sample else ",")
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w", encoding="cp1252", errors="replace", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)


if __name__ == "__main__":
    try:
        if "--variants-only" not in sys.argv:
            fixtures()
        if "--fixtures-only" not in sys.argv:
            variants()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
