#!/usr/bin/python3
"""The `telemonitor sla --por nucleo,especialidade --em EM` table computed with
pandas from the scale generator's CSV, for the comparison in
docs/desempenho.md (Debian python3-pandas; outside CI). Same definitions as
DOMAIN.md: cancelled excluded; within 72 h is <= 4320 minutes; overdue is
unanswered and more than 72 h old at EM; pct and hours with one decimal, half
away from zero; nearest-rank median and p90.

Usage: /usr/bin/python3 scripts/sla_pandas.py teleconsultas_escala.csv "2026-01-01 00:00" > out.csv
"""
import sys
import numpy as np
import pandas as pd

path, em = sys.argv[1], pd.Timestamp(sys.argv[2])
df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
df.columns = ["id", "nucleo", "ibge", "sent", "answered", "status", "especialidade"]
df = df[df["status"] != "Cancelada"]
sent = pd.to_datetime(df["sent"], format="%d/%m/%Y %H:%M")
answered = pd.to_datetime(df["answered"], format="%d/%m/%Y %H:%M", errors="coerce")
minutes = (answered - sent).dt.total_seconds() // 60
df = df.assign(minutes=minutes, answered_ok=answered.notna(),
               within=minutes <= 4320,
               late=answered.isna() & ((em - sent).dt.total_seconds() > 4320 * 60))


def tenths(num, den):  # num/den in tenths, half away from zero, integers >= 0
    return (2 * num * 10 + den) // (2 * den)


def dec(t):
    return "%d.%d" % (t // 10, t % 10)


def rank(sorted_minutes, p):
    n = len(sorted_minutes)
    return int(sorted_minutes[max(1, -(-n * p // 100)) - 1])


rows = []
for (nucleo, spec), g in df.groupby(["nucleo", "especialidade"], sort=True):
    n, ans = len(g), int(g["answered_ok"].sum())
    ok = int((g["answered_ok"] & g["within"]).sum())
    late = int(g["late"].sum())
    den = ans + late
    mins = np.sort(g.loc[g["answered_ok"], "minutes"].to_numpy())
    rows.append([nucleo, spec, n, ans, ok, late, dec(tenths(100 * ok, den)) if den else "",
                 dec(tenths(rank(mins, 50), 60)) if len(mins) else "", dec(tenths(rank(mins, 90), 60)) if len(mins) else ""])
rows.sort(key=lambda r: (r[0].encode(), r[1].encode()))
print("nucleo,especialidade,solicitacoes,respondidas,respondidas_72h,em_atraso,pct_72h,mediana_horas,p90_horas")
for r in rows:
    print(",".join(map(str, r)))
