"""Two small, made-up reports: a next-year report and a different one."""

REPORT_2025 = """# Resultat Västerbotten 2025

## Befolkning

Västerbottens befolkning ökade under 2025 till 283 500 invånare enligt länets egen räkning.
Ökningen var störst i Skellefteå, där nya industrier lockade inflyttare.

## Kollektivtrafik

Under 2025 började ett nattåg gå mellan Umeå och Göteborg tre nätter i veckan.
"""

FJÄLLRAPPORT = """# Fjällrapporten 2023

## Renskötsel

Renskötseln i fjällen påverkas av att vintrarna blir mildare och betet isas över.
Samebyarna har därför börjat stödutfodra renarna under sena vintrar.

## Friluftsliv

Antalet vandrare på Kungsleden ökade med en femtedel under sommaren.
"""
