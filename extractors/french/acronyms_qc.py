"""Curated acronyms of Québec public bodies (general public knowledge, not taken from any one document).

OCR-damage repair never changes an acronym, and repairs a damaged one (`MIF|`, `OllIAQ`, `BClI`)
only towards an acronym of the document's own list of acronyms or of this list. Add entries freely:
an acronym here can only ever be a repair *target*, never a reason to change a word.
"""
from __future__ import annotations

QUEBEC_ACRONYMS = frozenset(
    """
    AMF ANQ ARQ BAnQ BAPE BCI BIQ CAQ CCPI CDPDJ CEGEP CERAC CFP CIQ CISSS CIUSSS CLSC CNESST CPMT CRHA
    CRIQ CRSNG CSMO CSN CSQ CSS DGEQ FCCQ FRQ FRQNT FRQS FRQSC HEC INRS INSPQ IQ ISQ MAMH MAPAQ MCC MCE
    MCCQ MEES MEI MELCC MELCCFP MERN MES MESS MESRS MEQ MFA MFQ MICC MIDI MIFI MJQ MRC MRIF MRNF MSP MSSS
    MTESS MTMD MTQ OBNL OCCOQ OACIQ OAQ OCQ OEQ OIIAQ OIIQ OMVQ OOAQ OPIQ OPQ OPTMQ OQLF ORIMQ OSFQ
    OTPQ OTSTCFQ PAICRCPI PFE PRIIME RAC RAMQ RCMO RLRQ RQAP RRQ RSQ RSSS SAAQ SAQ SHQ SIQ SQ TAQ TAT
    TELUQ UQAC UQAM UQAR UQAT UQO UQTR CNRC OCDE ONU UNESCO CRIA CRT CSMOE CTREQ ENAP ETS INM IPOP
    """.split()
)
