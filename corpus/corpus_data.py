"""Hand-written layout data for the corpus generator (see make_corpus.py).

Everything here is curation of INPUT data: which lines of each seed become which
heading, paragraph, list item or table cell in the typeset documents.  Line numbers
are 1-based line numbers of the seed files in ../shared/seeds/.

Layout specs use a tiny line-oriented syntax, one block per line:

    KIND REFS          e.g.  "p 3-11"   "li 64-65+69"   "h2 238-239"

REFS is one or more line ranges joined by "+"; blank lines inside are ignored; the
lines are joined with spaces, and a word hyphenated at a line end ("per-" / "sonne")
is joined back.  Kinds without REFS take none ("pagebreak") or a name ("table cibles").
Lines of a seed that no spec mentions are left out of the PDF on purpose (running
headers and footers, printed page numbers, web-page widgets).
"""

SEED_DIR = "../shared/seeds"  # relative to the project root

SEEDS = {
    "000": "000_26e5804148e3a3ac.txt",
    "001": "001_d6fa14bbe54c387b.txt",
    "002": "002_2b2ad08a9e5c4a38.txt",
    "003": "003_ff4d22469fb54aa4.txt",
    "004": "004_020e89bb7bf44667.txt",
}

# ---------------------------------------------------------------------------------
# 000 - annual report of the Pôle (restored text).  The annex (lines 295-841) is not
# laid out from lines: its 16 measures are data in 000_annex.json.
# ---------------------------------------------------------------------------------
SPEC_000 = """
h1 1
p 3-11
p 13-17
p 19-20
p 22-23
signature 25
sigline 27
sigline 29
sigline 30
sigline 31
pagebreak
h1 32
acronyms
pagebreak
h1 109
p 111-112
li 114
li 115
li 116
li 118-119
li 121
p 123-125
li 127-128
li 130-132
li 134-135
h2 137
p 139-142
p 144-145
h2 147
p 149-150
li 152
li 154
li 156
li 158
li 160
li 162
li 164
li 165
li 166
li 168
h2 174
p 176-178
p 180-182
orgchart
h1 190
h2 192
p 194-195
p 197-198
caption 200
themes
footnote 225-230
p 216-217
li 219-220
li 222-223
li 231
li 232
li 233
p 235-236
h2 238-239
p 241-246
p 248-251
h2 253
p 255-259
h2 261
p 263-266
p 268-269
li 271-272
li 274-275
li 277-279
li 282-283
li 285-286
p 288-292
annex 295
"""

# Acronym list: the seed prints the 25 acronyms in one column (lines 34-61) and their
# definitions in another (lines 63-108).  (acronym line, definition lines)
ACRONYM_ROWS_000 = [
    (34, "63"), (35, "64"), (36, "66"), (37, "67"), (38, "69"), (39, "71"),
    (40, "73"), (41, "74"), (42, "76"), (43, "78"), (44, "80"), (45, "82"),
    (46, "84"), (47, "86"), (48, "88"), (49, "90"), (51, "92-93"), (53, "95"),
    (54, "97"), (55, "99"), (56, "100"), (57, "102"), (58, "104"), (59, "106"),
    (61, "108"),
]

# Org chart of lines 184-188: caption, then the two committees.
ORGCHART_000 = {"caption": 184, "boxes": [186, 188]}

# "Thèmes et objectifs" table (seed lines 201-214, columns interleaved by the OCR),
# restored and re-assembled by hand.
THEMES_HEADER_000 = ("Thèmes", "Objectifs")
THEMES_000 = [
    ("1. Information",
     "Rendre accessible l'information nécessaire portant sur les démarches relatives à "
     "l'obtention d'un permis d’un ordre professionnel et à l'intégration au marché du travail"),
    ("2. Reconnaissance des compétences<super>1</super>",
     "Élaborer des outils crédibles, fiables et équitables pour faciliter et accélérer, à toutes "
     "les étapes du parcours d'intégration des PFE, la reconnaissance de leurs compétences"),
    ("3. Conditions d'obtention d’un permis d'exercice",
     "Améliorer l'accès aux formations d'appoint et aux stages prescrits par les ordres "
     "professionnels, ainsi qu'aux activités de francisation"),
    ("4. Intégration au marché du travail",
     "Favoriser l'obtention d'un emploi de plein potentiel pour les PFE en tenant compte des "
     "besoins du marché du travail"),
]

# ---------------------------------------------------------------------------------
# 001 - web page of the interministerial plan 2021-2023.
# Lines 1-7 (breadcrumb, back link) and 90-97 (page-rating widget) are web chrome:
# they are in the HTML page but not in the PDF.
# ---------------------------------------------------------------------------------
SPEC_001 = """
title 9
h2 11
p 13
li 15
li 16
li 17
p 19
p 21
h2 23
p 25
h3 27
p 29
ol 31
ol 32
ol 33
ol 34
h3 36
p 38
ol 40
ol 41
ol 42
h3 44
p 46
ol 48
ol 49
ol 50
h3 52
p 54
ol 56
ol 57
h3 59
p 61
ol 63
ol 64
ol 65
ol 66
h3 68
p 70
ol 72
ol 73
ol 74
h2 76
p 78
h2 80
p 82
h2 84
p 86
small 88
"""
BREADCRUMB_001 = [1, 2, 3, 4, 5, 6]
BACKLINK_001 = 7
FOOTER_001 = {"rating_title": 90, "rating_question": 92, "rating_link": 93,
              "contact_question": 95, "contact_link": 97}
# Screen-reader text of the "external link" icon, glued to the link text in the seed.
EXTERNAL_LINK_TEXT = "Cet hyperlien s'ouvrira dans une nouvelle fenêtre."
# Link texts in the HTML page (the seed keeps no URLs, so every href is "#").
EXTERNAL_LINKS_001 = {63: "à de faibles taux d’intérêt",
                      82: "site Web de l’Office des professions du Québec"}
INTERNAL_LINKS_001 = {86: ["Bilan du plan d’action interministériel concerté en "
                           "reconnaissance des compétences des personnes immigrantes 2021-2023"]}

# ---------------------------------------------------------------------------------
# 002 - "Pour enrichir le Québec - Intégrer mieux" (2008).
# "ENRICHIR" lines are a running page decoration, line 75 is an image description
# of the minister's signature: both left out.
# ---------------------------------------------------------------------------------
COVER_002 = {"kicker": 5, "title": 7, "subtitle": "9-15", "wordmark": 17,
             "taglines": ["19+21", "23+25"]}

SPEC_002 = """
cover
pagebreak
colophon 29-53
pagebreak
p 61
p 63
p 65+67
p 69
p 71
p 73
sigline 77
sigline 78
sigline 79
pagebreak
note 85
p 87
p 89
p 91
p 93
p 95
p 97
note 101
objective 103 105-107
label 113
measure 1.1 115 117 119
note 139
note 147-149
note 151-155
objective 141 143
label 159
measure 2.1 161 163 165+167
measure 2.2 169 171 173
measure 2.3 199 201 203
measure 2.4 205 207 209+211+213
measure 2.5 241 241 243
measure 2.6 245 245 247+249
measure 2.7 274 276 278
note 296
objective 298 300-301
measure 3.1 307 309 311
measure 3.2 313 315 317
measure 3.3 341 343 345+347
note 370
objective 372 374-377
measure 4.1 383 385 387 | 389 390 391 392 393 394 395
measure 4.2 397 399 401
measure 4.3 430 432 434
measure 4.4 436 438 440+442
measure 4.5 468 470 472+474
note 494
objective 496 498-502
measure 5.1 508 510 512
measure 5.2 514 516 518
footnote 540
"""
# "measure N NUMLINE TITLELINE PARAS [| BULLETS]": PARAS are "+"-separated single
# paragraphs, BULLETS a list inside the description (4.1 only).  For 2.5 and 2.6 the
# number and the title share one line in the seed.

# Two-column blocks: which ACTIONS and which INDICATEURS DE PERFORMANCE lines belong
# to which measure.  The seed prints two measures side by side, so their blocks are
# interleaved; this assignment is a judgement, explained in corpus/README.md.
TWO_COL_002 = {
    "1.1": ([126, 127, 128, 129], [133]),
    "2.1": ([179, 180, 181, 182], [186]),
    "2.2": ([188, 189, 190, 191], [193, 195]),
    "2.3": ([219, 220, 221], [229, 231]),
    "2.4": ([223, 224, 225], [233, 235, 237]),
    "2.5": ([257], [259, 261, 263]),
    "2.6": ([265, 266], [268, 270]),
    "2.7": ([284, 285], [289]),
    "3.1": ([323, 324, 325], [329]),
    "3.2": ([331, 332, 333], [335, 337]),
    "3.3": ([353, 354, 355, 356, 357, 358], [362, 364, 366]),
    "4.1": ([407, 408, 409, 410, 411], [420, 422, 424]),
    "4.2": ([413, 414, 415, 416], [426]),
    "4.3": ([448, 449], [453]),
    "4.4": ([455, 456, 457, 458], [460, 462, 464]),
    "4.5": ([480, 481, 482], [486]),
    "5.1": ([526, 527, 528], [531, 532, 533]),
    "5.2": ([535], [537, 538]),
}
BACK_COVER_002 = 546

# ---------------------------------------------------------------------------------
# 003 - three press releases of 2012, one per page.
# ---------------------------------------------------------------------------------
SPEC_003 = """
date 1
kicker 3
title 5
p 6
p 7
p 8
li 9
li 10
li 11
li 12
p 14
p 15
p 16
pagebreak
kicker 18
title 20
p 21
p 22
p 23
p 24
p 25
p 26
p 27
pagebreak
kicker 29
title 31
p 32
h3 34
p 36
p 37
h3 39
p 41
p 42
p 43
p 44
p 45
p 46
p 47
h3 49
p 51
li 52
li 53
li 54
p 55
h3 57
p 59
p 60
p 61
p 62
"""

# ---------------------------------------------------------------------------------
# 004 - CCPI "Avis et recommandations" (December 2020).
# Paragraphs broken by a page change in the seed are joined ("65+69").  Lines
# 340-342 are a running header.  The diagram announced on line 46 and the list
# announced on line 267 are not in the seed (images), so they are not in the PDF.
# ---------------------------------------------------------------------------------
SPEC_004 = """
cover 5 7-8 10
pagebreak
h1 14
toc 16-31
pagebreak
h1 35
h2 38
p 40
p 42
p 44
p 46
p 52
h2 54
p 56
p 58
p 60
p 62
li 64-65+69
li 71
li 72
li 73
li 74
li 75
li 76+80
li 82
h2 84
p 86
p 88
p 90
h1 92
h2 94
p 96+102
footnote 98
p 104
p 106
p 108
p 110+118
footnote 112-114
p 120
p 122
h2 124
p 126
p 128
p 130
p 132
p 134
p 136
p 140
table 142-150
p 152
p 154
p 156
h1 158
p 160
p 164
h2 166
h3 168
p 170
p 172
li 174
li 175
li 176
p 178
h3 180
p 182
p 184
p 186
h3 190
p 192
p 194
p 196
h3 198
p 200
p 202
p 204
p 206
h2 210
h3 212
p 214
p 216
p 218
table 220-226
p 228
p 230
h3 234
p 236
p 238
h3 240
p 242
p 244
p 246
footnote 248
h1 252
p 254
p 256
p 259
p 261
p 263
p 265
p 267
h3 271
p 273
h1 275
h2 277
p 279
p 281
p 283
li 285
li 289
li 290
li 291
p 293
h2 295
p 297
p 299
p 301
p 303
h2 305
p 307+311
li 313
li 314
li 315
h2 317
p 319
li 321
li 322
li2 323
li2 324
li2 325
li2 326
li2 327
li2 328
li 329
h2 331
p 333
li 335
li 336
li 346
li 347
h2 349
p 351
li 353
li 354
li 355
"""
# Survey tables of 004, keyed by their first line: the caption line (or None) and the
# rows typeset as header rows ("Depuis la Pandémie" starts a second section).
TABLES_004 = {
    142: {"caption": 142, "header_rows": [143, 147]},
    220: {"caption": None, "header_rows": [220]},
}
