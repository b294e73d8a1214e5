// Package data embeds what the binary needs at run time: the SQL
// migrations, the reference territory of Minas Gerais (see mg/PROVENANCE.md)
// and the sample files used as demo data.
package data

import "embed"

// Migrations holds the numbered .sql migrations.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Territory holds municipios.csv, regioes_saude.csv and the GeoJSON map.
//
//go:embed mg/municipios.csv mg/regioes_saude.csv mg/mg_municipios.geojson
var Territory embed.FS

// Samples holds the demo input files and their expected results.
//
//go:embed all:samples
var Samples embed.FS
