#!/usr/bin/env python3
"""Build the two sample raw workbooks, and the tables of what their source reports printed.

Sources (public documents, kept as text outside this repository):
  000  London Borough of Haringey, Children and Families Monthly Performance Monitoring
       Report, February 2014            -> monthly_monitoring_feb2014.xlsx
  002  London Borough of Croydon, Early Help & Children's Social Care KPI report,
       January 2020                     -> kpi_scorecard_jan2020.xlsx

Every figure a report prints is copied as printed.  The months it does not print are
made up, deterministically (seeded from the indicator ID), so that the prior-year
outturns, the year-to-date figures and the printed changes come out exactly as printed.
The asserts at the end of each build check that on every run.

tests/data/published_*.csv record what each report printed per indicator, and whether
its light / change / arrow follows from its own numbers under the stated rule.

Run:  python workbooks/make_samples.py      (openpyxl only; same bytes every run)
"""
from __future__ import annotations

import csv
import math
import random
import re
import zipfile
import zlib
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from sample_comparators import (BENCHMARK_HEADER, BENCHMARKS_000, BENCHMARKS_002, ILLUSTRATIVE, TARGETS_000,
                                 benchmark_rows)

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data"

# =====================================================================================
# Report 000: Haringey, February 2014.  Rated on YTD, amber within 5% of the target.
# =====================================================================================
CRA, CP, CPV, LAC, LRV = ("Contacts, Referrals and Assessments", "Child Protection",
                          "CP Reviews and Visits", "Looked after Children", "LAC Reviews and Visits")
MS, CL, AD, OE = ("Missing and Stability", "Care Leavers",
                  "Adoption and Special Guardianship Orders", "Organisational Effectiveness")

# section, ID, indicator, unit, polarity, target, YTD, decimals, corporate plan,
# 2012/13, Sep-13|...|Feb-14 (workforce: Q3 12/13|Q4|Q1 13/14|Q2|Q3), YTD, arrow, light
HARINGEY = [
    (CRA, "CRA 1", "The number of contacts received", "count", "None", "-", "Sum", 0, "",
     "6637", "415|561|538|464|579|479", "5181", "↓", ""),
    (CRA, "CRA 2", "The number of referrals to children's social care", "count", "None", "-", "Sum", 0, "",
     "2156", "144|157|167|111|143|149", "1583", "↑", ""),
    (CRA, "CRA 3", "The rate of referrals to children's social care per 10,000 pop", "rate", "None", "-",
     "Sum", 0, "", "374", "25|27|29|19|25|26", "275", "↑", ""),
    (CRA, "CRA 4", "Re-referrals within 12 months of the previous referral", "%", "Low", "16%", "Ratio", 0, "",
     "15%", "21%|21%|14%|12%|11%|10%", "14%", "↓", "Green"),
    (CRA, "CRA 5", "Percentage of referrals going on to assessment YTD", "%", "None", "-", "Latest", 0, "",
     "-", "77%|76%|78%|83%|84%|86%", "86%", "↑", ""),
    (CRA, "CRA 6", "Percentage of referrals with outcome NFA", "%", "None", "-", "Ratio", 0, "",
     "-", "3%|13%|1%|2%|1%|1%", "5%", "↑", ""),
    (CRA, "CRA 7", "Children and Families Assessments carried out within 45 working days", "%", "High", "85%",
     "Ratio", 0, "Y", "-", "69%|75%|77%|74%|76%|74%", "77%", "↓", "Red"),
    (CRA, "CRA 8", "Children and Families Assessments completed", "count", "None", "-", "Sum", 0, "",
     "-", "118|119|137|116|179|118", "999", "↓", ""),
    (CRA, "CRA 9", "Child seen in 10 days", "%", "High", "95%", "Ratio", 0, "Y",
     "-", "79%|84%|82%|82%|85%|87%", "83%", "↑", "Red"),
    (CP, "CP 1", "Children subject to a child protection plan", "count", "None", "", "Latest", 0, "",
     "268", "164|171|177|168|184|188", "188", "↓", ""),
    (CP, "CP 2", "The rate of Children Subject to a child protection plan per 10,000 pop", "rate", "Low", "43",
     "Latest", 0, "Y", "47", "28|30|31|29|32|33", "33", "↓", "Amber"),
    (CP, "CP 3", "Children Becoming Subject to a child protection plan in the period", "count", "None", "-",
     "Sum", 0, "", "354", "14|25|21|13|45|29", "234", "↓", ""),
    (CP, "CP 4", "Children Ceasing Subject to a child protection plan in the period", "count", "None", "-",
     "Sum", 0, "", "363", "35|18|15|22|26|28", "317", "↑", ""),
    (CP, "CP 5", "Child Protection Plans ceasing after two years or more", "%", "Low", "7%", "Ratio", 1, "Y",
     "7%", "20%|39%|7%|0|15%|14%", "9.9%", "↓", "Red"),
    (CP, "CP 6", "CP Plans lasting over 2 years at period end", "%", "Low", "-", "Latest", 1, "",
     "8%", "8%|4%|4.5%|4.8%|2.2%|0.0%", "-", "↓", ""),
    (CP, "CP 7", "Subject of Child Protection Plan for a second or subsequent time", "%", "Low", "10%", "Ratio",
     0, "", "5%", "-|8%|5%|23%|7%|3%", "10%", "↓", "Green"),
    (CP, "CP 8", "Children moving to Haringey on a child protection plan", "count", "None", "-", "Sum", 0, "",
     "25", "0|4|0|0|0|2", "11", "↓", ""),
    (CP, "CP 9", "Children moved out of Haringey on a child protection plan", "count", "None", "-", "Sum", 0, "",
     "27", "3|3|0|0|3|5", "38", "↑", ""),
    (CPV, "CP 10", "Percentage of CP cases which were reviewed within required timescales", "%", "High", "100%",
     "Latest", 0, "", "", "95%|92%|91%|90%|90%|90%", "90%", "↑", "Red"),
    (CPV, "CP 11", "Child Protection Visits", "%", "High", "95%", "Latest", 0, "",
     "", "94%|96%|95%|92%|94%|96%", "96%", "↑", "Green"),
    (CPV, "CIN 1", "Children in Need Visits", "%", "High", "95%", "Latest", 0, "",
     "", "85%|90%|97%|95%|93%|91%", "91%", "↓", "Amber"),
    (LAC, "LAC 1", "Children in care including unaccompanied asylum seeking children", "count", "Low", "485",
     "Latest", 0, "", "540", "502|510|519|525|530|523", "523", "↑", "Red"),
    (LAC, "LAC 2", "The rate of Children in care per 10,000 pop", "rate", "None", "-", "Latest", 0, "",
     "94", "87|89|90|91|92|91", "91", "↓", ""),
    (LAC, "LAC 3", "Children becoming looked after (Haringey)", "count", "None", "-", "Sum", 0, "",
     "195", "13|32|22|27|29|11", "210", "↑", ""),
    (LAC, "LAC 4", "Children ceasing to be looked after (Haringey)", "count", "None", "-", "Sum", 0, "",
     "235", "16|24|13|21|24|18", "229", "↓", ""),
    (LAC, "LAC 5", "Net increase / decrease in children looked after (Haringey)", "count", "Low", "-61", "Sum",
     0, "", "-40", "-3|8|9|6|5|-7", "-19", "↑", ""),
    (LAC, "LAC 6", "Percentage of Children becoming looked after previously subject to Child Protection plan",
     "%", "None", "-", "Ratio", 0, "", "39%", "22%|44%|33%|38%|30%|82%", "40%", "↑", ""),
    (LAC, "LAC 7", "Number of young people becoming looked after on remand", "count", "None", "-", "Sum", 0, "",
     "19", "0|6|3|4|2|0", "24", "↓", ""),
    (LRV, "LAC 8", "Children in Care visits", "%", "High", "95%", "Latest", 0, "",
     "99%", "96%|96%|94%|94%|96%|95%", "95%", "↓", "Green"),
    (LRV, "LAC 9", "Children in care cases were reviewed within timescales", "%", "High", "92%", "Latest", 0, "",
     "82%", "95%|94%|91%|91%|90%|88%", "88%", "↓", "Amber"),
    (MS, "MS 1", "Number of children missing/ absconded from care at any point in the month", "count", "None",
     "-", "Sum", 0, "", "68", "15|12|7|8|3 Missing 2 Absent 1 Abscond|2Missing 3 Absent 7Abscond", "-", "", ""),
    (MS, "MS 2", "Stability of placements of looked after children: number of moves", "%", "Low", "10%",
     "Latest", 1, "Y", "7.6%", "8.8%|8.8%|8.1%|8.4%|7.8%|8.6%", "8.6%", "↓", "Green"),
    (MS, "MS 3", "Stability of placements of looked after children: length of placement", "%", "High", "72%",
     "Latest", 1, "", "68%", "73%|74%|72%|72%|73%|73%", "72.7%", "↑", "Green"),
    (MS, "MS 4", "Percentage of children placed 20 miles or more", "%", "Low", "16%", "Latest", 1, "Y",
     "20.0%", "18.4%|19.5%|18.4%|17.2%|16.8%|18.7%", "18.7%", "↓", "Red"),
    (CL, "CL 1", "Care leavers in EET: 19th birthday", "%", "High", "75%", "Ratio", 0, "",
     "63%", "50%|50%|100%|63%|13%|100%", "46%", "↑", "Red"),
    (CL, "CL 2", "Care leavers in EET: 20th birthday", "%", "High", "-", "Ratio", 0, "",
     "", "63%|33%|33%|100%|29%|80%", "52%", "↑", ""),
    (CL, "CL 3", "Care leavers in EET: 21st birthday", "%", "High", "-", "Ratio", 0, "",
     "", "-|33%|46%|40%|13%|80%", "39%", "↑", ""),
    (CL, "CL 4", "Care leavers in suitable accommodation: 19th birthday", "%", "High", "90%", "Ratio", 0, "",
     "79%", "83%|50%|100%|75%|63%|100%", "74%", "↑", "Red"),
    (CL, "CL 5", "Care leavers in suitable accommodation: 20th birthday", "%", "High", "-", "Ratio", 0, "",
     "", "100%|33%|100%|100%|50%|100%", "73%", "↑", ""),
    (CL, "CL 6", "Care leavers in suitable accommodation: 21st birthday", "%", "High", "-", "Ratio", 0, "",
     "", "75%|33%|100%|20%|88%|100%", "76%", "↑", ""),
    (AD, "AD 1", "Number of adoptions/special guardianship orders", "count", "High", "45", "Sum", 0, "",
     "45", "3|2|3|7|5|1", "58", "↓", "Green"),
    (AD, "AD 2", "Number of adoptions", "count", "High", "20", "Sum", 0, "", "14", "1|2|1|4|3|0", "33", "↑", "Green"),
    (AD, "AD 3", "Number of special guardianship orders (SGOs)", "count", "High", "25", "Sum", 0, "",
     "31", "2|0|2|3|2|1", "25", "↓", "Green"),
    (AD, "AD 4", "Timeliness of placements of looked after children for adoption following an agency decision "
     "that the child should be placed for adoption. Percentage of adopted children placed within 12 months.",
     "%", "High", "-", "Ratio", 0, "", "71%", "-|50%|100%|75%|100%|-", "59%", "↑", ""),
    (AD, "AD 5", "A1. Average number of days from becoming LAC to being placed for adoption", "days", "Low",
     "639", "Ratio", 0, "Y", "661", "566|960|292|793|453|-", "807", "↓", "Red"),
    (AD, "AD 6", "A10. Average number of days Adjusted for Current Foster Carer adoptions", "days", "Low", "-",
     "Ratio", 0, "", "435", "566|575|292|-|-|-", "564", "→", ""),
    (OE, "OE 1", "Days sick per FTE. CY (excluding Schools)", "days", "Low", "6.5", "Latest", 2, "",
     "7.54", "7.6|8.2|8.3|8.6|-|-", "8.57", "→", "Red"),
    (OE, "OE 2", "Children's Statutory Complaints - average days to process", "days", "Low", "10", "Mean", 2, "",
     "10.52", "7|11|10|7|10|11", "9.69", "↓", "Unknown"),
    (OE, "OE 3", "Complaints - average days to process CYPs", "days", "Low", "15", "Mean", 1, "",
     "17.5", "12|12|9|8|-|6", "10.7", "↑", "Green"),
    (OE, "OE 4", "Members' Enquiries - average days to process CYPs", "days", "Low", "10", "Mean", 1, "",
     "9.3", "9|8|9|8|7|7", "7.8", "→", "Green"),
    (OE, "OE 5", "FOI's - average days to process CYPs", "days", "Low", "20", "Mean", 1, "",
     "23.6", "14.1|13|16.4|13.6|14.5|17.1", "16.8", "↓", "Green"),
    (OE, "OE 6", "Children's Social Worker Vacancy Rate", "%", "Low", "10%", "Latest", 1, "",
     "15%", "16%|15%|22%|19%|16.5%", "16.5%", "↑", "Red"),
    (OE, "OE 7", "Children's Social Worker Turnover Rate", "%", "Low", "15%", "Latest", 0, "",
     "19%", "19%|19%|24%|24%|21%", "21%", "↑", "Red"),
    (OE, "OE 8", "Children's Social Worker Sickness Absence- average days", "days", "Low", "6.5", "Latest", 1, "",
     "6.6", "6.4|6.6|7.9|5.1|4.4", "4.4", "↑", "Red"),
    (OE, "OE 9", "Percentage of Children's Social worker posts filled by agency workers", "%", "Low", "10%",
     "Latest", 0, "", "11%", "14%|11%|16%|14%|12%", "12%", "↑", "Red"),
]
# The front page prints some months more precisely than the section pages.
FRONT_THIS_000 = {"OE 2": "11.4", "OE 3": "5.7", "OE 4": "7.3"}
# Months whose value the printed YTD pins down more precisely ("Latest" figures).
PRECISE_000 = {"OE 1": {3: "8.57"}, "MS 3": {5: "72.7%"}}
# Ratio indicators: where the denominators come from (an indicator, or a cohort below).
RATIO_DENS_000 = {"CRA 4": "CRA 2", "CRA 6": "CRA 2", "CRA 7": "CRA 8", "CRA 9": "CRA 8", "CP 5": "CP 4",
                  "CP 6": "CP 1", "CP 7": "CP 3", "LAC 6": "LAC 3", "AD 5": "AD 2", "AD 6": "AD 2",
                  "CL 1": "19th", "CL 4": "19th", "CL 2": "20th", "CL 5": "20th", "CL 3": "21st",
                  "CL 6": "21st", "AD 4": "placed"}
# cohort: (printed months' denominators, fabricated monthly average)
COHORTS_000 = {"19th": ([6, 6, 5, 8, 8, 7], 7), "20th": ([8, 6, 6, 4, 14, 5], 6),
               "21st": ([4, 3, 13, 5, 8, 5], 6), "placed": ([0, 2, 1, 4, 2, 0], 2)}
LATEST_START_000 = {"CRA 5": 0.70, "CP 10": 0.97, "CP 11": 0.90, "CIN 1": 0.84}  # no 2012/13 printed
SUM_WEIGHTS_000 = {"CRA 8": [1, 2, 3, 4.5, 6]}          # the new assessment bedding in, Apr-Aug 13
SUM_TOTAL_000 = {"MS 1": 58}                              # YTD printed as "-"
POPULATION = {2012: 57_600, 2013: 57_564}                 # 0-17 population for the rates per 10,000
CIC_TRAJECTORY = dict(zip("Sep-13 Oct-13 Nov-13 Dec-13 Jan-14 Feb-14".split(), (510, 505, 500, 495, 490, 485)))
DISTRIBUTION_000 = ["<10", "10-15", "16-25", "26-35", "36-45", "46-55", "56-65", "66+"], \
                   ["11%", "7%", "10%", "22%", "27%", "9%", "5%", "10%"]

# Why a printed light / arrow cannot follow from the printed numbers (rule: YTD against
# target, amber within 5% of the target; arrow = raw direction, last month to this month).
REASONS_000 = {
    "CRA 6": "Arrow ↑ but the figure is unchanged at 1% (Jan-14 1%, Feb-14 1%).",
    "CP 1": "Arrow ↓ but the number of children on a plan rose from 184 in Jan-14 to 188 in Feb-14.",
    "CP 2": "Light Amber but 33 per 10,000 YTD is 10 below the target of 43, which is Green when lower is better "
            "(and Red, 23% off, when higher is better), and arrow ↓ although the rate rose from 32 to 33.",
    "CP 8": "Arrow ↓ but the number rose from 0 in Jan-14 to 2 in Feb-14.",
    "CP 10": "Arrow ↑ but the figure is unchanged at 90% (Jan-14 90%, Feb-14 90%).",
    "LAC 1": "Arrow ↑ but the number of children in care fell from 530 in Jan-14 to 523 in Feb-14.",
    "LAC 3": "Arrow ↑ but the number becoming looked after fell from 29 in Jan-14 to 11 in Feb-14.",
    "LAC 5": "A target of -61 is printed but no light, although -19 YTD against -61 (lower is better) is Red, "
             "and arrow ↑ although the net change fell from 5 to -7.",
    "MS 2": "Arrow ↓ but the figure rose from 7.8% in Jan-14 to 8.6% in Feb-14.",
    "MS 3": "Arrow ↑ but the printed month is unchanged at 73% (Jan-14 73%, Feb-14 73%).",
    "MS 4": "Arrow ↓ but the figure rose from 16.8% in Jan-14 to 18.7% in Feb-14.",
    "AD 2": "Arrow ↑ but adoptions fell from 3 in Jan-14 to 0 in Feb-14.",
    "AD 4": "Arrow ↑ but Feb-14 is printed as '-', so there is no change to show.",
    "AD 5": "Arrow ↓ but Feb-14 is printed as '-', so there is no change to show.",
    "AD 6": "Arrow → (no change) but both Jan-14 and Feb-14 are printed as '-'; with no figures there is no "
            "direction to show, so kpi_xl shows no arrow.",
    "OE 1": "Arrow → (no change) but both Jan-14 and Feb-14 are printed as '-'; with no figures there is no "
            "direction to show, so kpi_xl shows no arrow.",
    "OE 2": "Statutory complaints 9.69 days YTD against a target of 10 (lower is better) meets the target, yet "
            "printed 'Unknown', and arrow ↓ although the month rose from 10 to 11.4 days.",
    "OE 3": "Arrow ↑ but Jan-14 is printed as '-', so there is no previous month to compare 5.7 days with.",
    "OE 4": "Arrow → but the month rose from 7 days in Jan-14 to 7.3 days in Feb-14.",
    "OE 5": "Arrow ↓ but the month rose from 14.5 days in Jan-14 to 17.1 days in Feb-14.",
    "OE 6": "Arrow ↑ but the vacancy rate fell from 19% in Q2 to 16.5% in Q3 2013/14.",
    "OE 7": "Arrow ↑ but turnover fell from 24% in Q2 to 21% in Q3 2013/14.",
    "OE 8": "Light Red but 4.4 days against a year-end target of 6.5 (lower is better) meets the target, and "
            "arrow ↑ although sickness fell from 5.1 to 4.4 days.",
    "OE 9": "Arrow ↑ but the share of posts filled by agency workers fell from 14% in Q2 to 12% in Q3 2013/14.",
}

# Printed on the first pages of both reports' scorecards (the Report sheet's *Refresh note*).
REFRESH_NOTE = ("Data in this report is refreshed each month, so figures for earlier months may differ from "
                "previous reports as children's records are updated.")

SETTINGS_000 = [("Title", "Children and Families Monthly Performance Monitoring Report"),
                ("Organisation", "London Borough of Haringey"), ("Period", date(2014, 2, 1)),
                ("Financial year start", "April"), ("Months shown", 6), ("Tolerance", 5),
                ("Tolerance type", "percent"), ("RAG basis", "YTD"), ("Template", "monthly-monitoring"),
                ("Refresh note", REFRESH_NOTE)]

# Commentary, verbatim: (Section, ID, Why, What, When); one line of the report per line.
COMMENTARY_000 = [
    (CRA, "", """
- Although the number of contacts have gone down the screening team inform that they feel they have dealt with a higher number of enquires this month, screening are ensuring agencies refer rather than contact
- The number referrals has increased this month. The screening managers have been ensuring partner agencies complete a referral rather than a contact when the case is not a clear s47. It shows we need to look at our partner agencies to ensure they are making the correct decisions to refer a case rather than it be a contact. They appear still to rely on us to be making those decisions.
- The number of referral going to assessment has increased, this is in line with the two new team managers joining and confidence that we are getting thresholds right, this is in line with the two new team managers joining and confidence that we are getting thresholds right.
- Re-referral rate has decreased. Positive, this should be in line with correct assessment of case, not closing prematurely""", """
- I will be contacting customer services to see if we can capture the data (enquires) to confirm the above and understand how much work we may be doing that isn't captured on framework i
- Discussion with project mgr (James Page)/ LSCB to look at ways we can reach out to partner agencies, training/educate etc to ensure they are aware of whether a case should be referred.
- Monitor to ensure thresholds are right in conjunction with HoS for FR
- Monitor""", """
- Contact customer services by 28.03.14
- Meet with project mgr 24.03.14
- Ongoing
- Ongoing"""),
    (CP, "", """
The targets were set in line with the mid range for our Statistical neighbours rated Good or Outstanding by Ofsted on the assumption that this is what good performance looks like. All the arrows this month are pointing the right way (if our original assumptions are correct) in that we are reducing the numbers of children with plans overall. But we have to be confident that this is because we are offering a good early help and CIN service, given the level of need in Haringey. Team managers helpfully also suggested we should look at the numbers of sibling groups when looking at numbers on or off plans.
DCT: No children made subject to plan or ceased in February.""", """
Initially we will be supporting the development of early help, ensure all cp decisions made within S and S are clearly in line with statute and best practice, work with FR on understanding family profile a bit better which will help us understand the specific factors which have contributed to this downward trend. Staff are suggesting that this trend was 'constructed' by a desire to reduce numbers of cp plans. As part of my SIP I am planning to create some clear workflow which identify gateways for families and best practice timescale. This will enhance our understanding of a individual child's journey against a best practice benchmark.""", """
Workflows- June 2014 '
Work with FR - started and progressing ;
Early help- in line with agreed timescale."""),
    ("", "CP 5", """
The good news is that the two families that were in the January data were now off the plans. 2 other families are now making up this number. Family 1 has one child and has been kept on a cp plan because of parent's refusal to engage including allowing social workers access. An ICO was refused last Nov and we are due to return to court with completed assessments with a view to removal in April. The decision to maintain cp plans is in this context and should be seen in the child's best interest. The second family have three children and work was progressing to the extent that we were confident of plans ceasing. However there was a reoccurrence of DV which changed our prognosis. We have referred to DVIP but this is a long treatment programme post assessment. CP plan seems a rational response in this context for these children""", """
Need to reflect on the second family as the DV pathway will be about 35/40 weeks, decision to remove from plan will depend on progress of DVIP work. Will review families with children approaching the 2 year mark""",
     ""),
    (CPV, "", """
In terms of CP reviews, this is within the remit of the CPAA/QA service as it is their timetable. As a service we have good compliance on review conference times.
The CIN visits data is of concern as we have not seen all the children we should have this month. As a management team we have examined every case. The general themes from this analysis are:
- Some delay in write ups post visits.
- Some drift in closure.
- Recording done but framework-i not updated appropriately.
- Visits not done in timescales (this is the smaller number)
Detailed breakdown in CIN analysis is available
DCT: CP visits 100% completed within timescale. CIN workflow for DCT is being worked on in OSS Project""", """
The above are being addressed individually and I will reinforce in general messaging and through case monitoring/. We expect this to improve next month.""", """
It has started . The prep for this commentary is evidence of a level of close examination and discussion."""),
    (LAC, "", """
Continued pressure on referrals for asylum seeking young people, Southwark S20 requests and relatively high numbers of accommodations of older young people, ie teenagers.""", """
There are changes being made to First Response management and it is essential that LAC teams make strong links with incoming managers to look at a joint approach to tackling the demands to accommodate rather than to support in the community. The developing plans around early help will also be a means of dealing more effectively with this and members of LC services attended the recent early help event at the Cypriot Centre in order to ensure that our particular areas of need are represented in the building of this new delivery model.""", """
An initial meeting is to take place, by April 7th, to start to address more effective ways of working in terms of creative approaches around support and also regarding the need to meet needs of asylum seeking young people differently where possible."""),
    (LRV, "", """
DCT missed one CIC visit in Feb -the carer was unable to meet with the SW.
CC - Why does the data look the way it does?
Children in Care visits are within target.""", """
CC - We are striving to increase the number of visits. The 95% that have taken place are written up within the standard template which makes the current assessment of each young person's progress in their placement easy to see at a glance. This format was picked up in the diagnostic as being a very effective way of demonstrating the monitoring of young people's experiences whilst LAC and also ensuring that issues for follow through were raised and actioned efficiently.""", """
CC - Additional vigilance is still needed with regard to covering visits whilst allocated social workers are on sick leave and team managers are now planning more carefully for this."""),
    (MS, "", """
Numbers of missing from care remain at a reduced level although the actual figure needs inclusion in the data. There has been a slight rise (less than a % point) in 3 moves or more. We are still well within our target % and, in relation to benchmarking across London, in a strong position. Stability of longer term placements remains at the improved figure of 73%, again a very good position for the service. 20 miles or more is of some concern as this has risen more sharply. This correlates with the need for some placement types that are hard to find within the 20 mile radius. The 20 mile distance figure presents a greater challenge. To this end all residential placements are currently being reviewed in order to try to establish placement choice nearer home. The new commissioning arrangements coming into force should have a helpful impact upon this too.""",
     "", """
A renewed drive on the 20 mile distance is currently in place. There is a strong theme of prevention here too, with a need to make earlier stage placements fit for purpose so that a young person's needs do not escalate to the extent that they have to be placed far from Haringey. New commissioning arrangements commence from April 1st and these will underpin a smarter approach."""),
    (CL, "", """
This month's cohort of young people are far more effectively engaged in employment, training and education. Whilst this set of figures is strong the year average is below target.""", """
Housing progress is generally more positive and new initiatives are being developed to strengthen our approach to those care leavers who are particularly vulnerable at age 21. In order to improve our approach to ETE the Young Adults Service have tracked all current service users (330 young people) and logged their ETE status. We are now using this information to better develop our approach in this area. We have established that we have 105 young people who are NEET and, whilst some are still in the very early stages of young parenthood or too unwell to work, there is a significant cohort who we could focus on to make sure that they have a chance to gain better outcomes.""", """
The recent Council wide event on 16+ ETE was very informative, both the HoS and DHoS for Young Adults Service attended. We will be taking forward ideas generated in this forum and adapting these to maximise opportunities for those young people who are care leavers."""),
    (AD, "", """
10 of the children adopted in this year were placed for adoption at significantly over the 639 threshold, and one child was placed at over 4,000 days. This reflects the historical lack of focus on permanency planning in general and adoption specifically. In addition several children were challenging to place as a result of complex needs and background factors. Some of the children currently placed for adoption come into this category and some have been subject to protracted care proceedings. This is a factor which will affect future scorecard position. However this will be mitigated against by very young children and babies being placed in number of days below the 639 threshold and foster cares adopting children in their care. DCT - no SGOs in February.
CC- All the earlier planning for achievement of a wide range of adoptive and special guardianship placements has come to fruition with the outturn for this year.""", """
1. Focused work on bringing care proceedings within 26 weeks threshold which will become statutory in April. The Adoption Reform Grant will be used in part to facilitate this work and will incorporate the use of family group conferences and the completion of parenting, viability, connected persons and special guardianship assessments pre -proceedings as far as possible.
2. Changes to the Permanency Tracking meetings to incorporate child's social worker and family finding social worker attendance to explain progress and to ensure that actions agreed are implemented in timescales proscribed.
3. Change to the tracking spreadsheet to incorporate numbers of weeks in care proceedings.
4. Introduction of personal scorecards for family finding social workers.
5. Delivery of workshops to children's social workers on legal issues and implications of recent case law.
6. Review of Permanency Policy to reflect legislative, regulatory and practice changes.
CC - Sustain good planning to ensure that we have success with achieving legal orders in 2014-15 for children to live permanently with substitute families.""", """
1. April, 2014.
2. April 2014.
3. April, 2014.
4. April 2014.
5. April - May, 2014.
6. April, 2014
CC - Planning is on going in the form of service objectives and the monthly permanence tracking meetings."""),
]

# =====================================================================================
# Report 002: Croydon, January 2020.  Rated on the month, amber short by under 10 points.
# =====================================================================================
# ID, indicator, unit, polarity, target, Dec-19, Jan-20, RAG, change,
# denominators (a cohort below, or an indicator), trend to fabricate ("month value, ..."), noise
CROYDON = [("Front door", [
    ("FD 7", "Percentage of referrals that led to an assessment", "%", "None", "", "87%", "94%", "Grey",
     "Up 7pp", "referrals", "Apr-18 78, Jan-19 82, Jul-19 85, Nov-19 88", 3),
    ("FD 8", "Percentage of re-referrals within 12 months", "%", "Low", "22%", "31%", "24%", "Amber",
     "Down 7pp", "referrals", "Apr-18 26, Apr-19 25, Nov-19 28", 3)]), ("Early help", [
    ("EH 9", "Percentage of Early Help cases closed that were stepped up to CSC", "%", "Low", "10%", "10%",
     "20%", "Red", "Up 10pp", "early help closures", "Apr-18 12, Apr-19 11, Nov-19 13", 3),
    ("EH 25", "Percentage of referrals that were stepped down from CSC into early help", "%", "None", "",
     "16%", "16%", "Grey", "No change", "referrals closed", "Apr-18 12, Jun-19 15, Nov-19 16", 2)]), ("Assessment", [
    ("AMT 2", "Percentage of C&F assessments completed within 45 working days", "%", "High", "85%", "76%",
     "77%", "Amber", "Up 1pp", "assessments", "Apr-18 78, Oct-18 72, Feb-19 81, May-19 70, Aug-19 83, Oct-19 73", 4),
    ("AMT 4", "Percentage of C&F assessments that result in no further action", "%", "None", "", "40%", "46%",
     "Grey", "Up 6pp", "assessments", "Apr-18 35, Apr-19 38, Nov-19 42", 3)]),
    ("Children in need of help and protection", [
    ("CIN 8", "Percentage of CIN with an up-to-date child’s plan", "%", "High", "95%", "84%", "90%", "Amber",
     "Up 6pp", "cin", "Apr-18 70, Apr-19 78, Oct-19 87, Nov-19 85", 2),
    ("CIN 4", "Percentage of CIN* for whom a visit has taken place within last four weeks", "%", "High", "95%",
     "88%", "89%", "Amber", "Up 1pp", "cin",
     "Apr-18 80, Oct-18 76, Jan-19 84, Apr-19 78, Jul-19 85, Sep-19 80, Nov-19 86", 3),
    ("CIN 5", "Percentage of CIN* for who had review on time (excludes those allocated to CWD teams)", "%",
     "High", "95%", "89%", "91%", "Amber", "Up 2pp", "cin", "Apr-18 82, Apr-19 86, Sep-19 89, Oct-19 90, Nov-19 90", 1.5),
    ("CP 5", "Percentage of children for whom CPC was held in the month within 15 working days of the strategy "
     "discussions", "%", "High", "77%", "81%", "58%", "Red", "Down 23pp", "icpcs",
     "Apr-18 70, Apr-19 74, Sep-19 79, Nov-19 72", 6),
    ("CP 12", "Percentage CP plans reviewed in timescale", "%", "High", "95%", "99%", "99%", "Green", "No change",
     "cp", "Apr-18 93, Apr-19 96, Nov-19 98", 1.5),
    ("CP 13", "Percentage of children subject to CP plans for whom a visit has taken place in last four weeks",
     "%", "High", "95%", "95%", "97%", "Green", "Up 2pp", "cp",
     "Apr-18 78, Oct-18 82, Apr-19 88, Jul-19 93, Aug-19 95.4, Sep-19 96.1, Oct-19 95.2, Nov-19 96.3", 1.5)]),
    ("Missing", [
    ("MC 1c", "Number of children with three or more missing episodes in the month", "count", "None", "", "36",
     "41", "Grey", "Up 5", "", "Apr-18 28, Apr-19 33, Nov-19 38", 3),
    ("MC 12", "Number of CLA with three or more missing episodes in the month", "count", "None", "", "32", "36",
     "Grey", "Up 4", "", "Apr-18 22, Apr-19 27, Nov-19 31", 2),
    ("MC 6", "Percentage of found episodes that result in a completed RHI", "%", "High", "65%", "61%", "61%",
     "Amber", "No change", "found episodes", "Apr-18 45, Apr-19 52, Nov-19 60", 3),
    ("MC 13", "Percentage of children missing in the month with a missing risk assessment form completed in last "
     "3 months (up to months end)", "%", "High", "95%", "61%", "84%", "Red", "Up 23pp", "missing children",
     "Apr-18 40, Apr-19 50, Nov-19 58", 4),
    ("MC 15", "Percentage of children with three or more missing episodes in the month where a missing strategy "
     "discussion took place", "%", "High", "95%", "27%", "46%", "Red", "Up 19pp", "MC 1c",
     "Apr-18 15, Apr-19 20, Nov-19 25", 4)]), ("Children in care", [
    ("CLA 10", "Percentage of CLA for whom a visit has taken place in statutory timescales (six weekly visit)",
     "%", "High", "95%", "96%", "96%", "Green", "No change", "cla",
     "Apr-18 84, Oct-18 78, Apr-19 86, Jul-19 90, Sep-19 93, Oct-19 96.2, Nov-19 97.1", 1.5),
    ("CLA 11", "Percentage of CLA cases which were reviewed within required timescales", "%", "High", "95%",
     "93%", "93%", "Amber", "No change", "cla", "Apr-18 88, Apr-19 90, Nov-19 92", 2),
    ("CLA 14", "Percentage of CLA with an up-to-date care plan", "%", "High", "95%", "94%", "94%", "Amber",
     "No change", "cla", "Apr-18 80, Apr-19 84, Oct-19 88, Nov-19 89", 2),
    ("CLA 15", "Percentage of eligible CLA with an up-to-date pathway plan", "%", "High", "95%", "77%", "80%",
     "Red", "Up 3pp", "eligible cla", "Apr-18 50, Jan-19 52, Apr-19 58, Jul-19 65, Oct-19 72", 1),
    ("CLA 13", "Percentage of CLA with an up-to-date PEP (termly)", "%", "High", "85%", "95%", "84%", "Amber",
     "Down 11pp", "school age cla", "Apr-18 82, Apr-19 85, Nov-19 93", 3),
    ("CLA 19", "Percentage of CLA (12 months in care) with the same social worker for last 6 months", "%",
     "High", "65%", "61%", "61%", "Amber", "No change", "cla 12 months", "Apr-18 55, Apr-19 58, Nov-19 62", 2),
    ("CLA 18", "Percentage of CLA with an initial health assessment completed within 20 working days of "
     "entering care (reported one month in arrears to allow 20 working days after month end)", "%", "High",
     "95%", "Oct 19: 90%", "Nov 19: 73%", "Red", "Down 17pp", "entered care",
     "Apr-18 60, Apr-19 70, Jun-19 68, Jul-19 94, Aug-19 79, Sep-19 97", 8),
    ("CLA 16", "Percentage of CLA with an up to date health assessment", "%", "High", "95%", "82%", "82%", "Red",
     "No change", "cla", "Apr-18 85, Apr-19 83, Nov-19 81", 1.5),
    ("CLA 27", "Percentage of CLA (12 months in care) whose immunisations are up-to-date", "%", "High", "95%",
     "64%", "62%", "Red", "Down 2pp", "cla 12 months", "Apr-18 70, Apr-19 66, Nov-19 63", 2),
    ("CLA 28", "Percentage of CLA (12 months in care) with an up-to-date dental check", "%", "High", "95%", "59%",
     "68%", "Red", "Up 9pp", "cla 12 months", "Apr-18 65, Apr-19 62, Nov-19 58", 3)]), ("Fostering and adoption", [
    ("F 4", "Percentage of foster carers with an up-to-date visit", "%", "High", "95%", "79%", "91%", "Amber",
     "Up 12pp", "foster carers", "Apr-18 80, Apr-19 78, Oct-19 76, Nov-19 77", 3),
    ("F 3", "Percentage of annual reviews of foster carers completed on time", "%", "High", "95%", "87%", "94%",
     "Amber", "Up 7pp", "foster carers", "Apr-18 82, Apr-19 80, Oct-19 81, Nov-19 84", 3)]), ("Care leavers", [
    ("CL a", "Percentage of care leavers with an up-to-date pathway plan", "%", "High", "95%", "79%", "82%", "Red",
     "Up 3pp", "care leavers", "Apr-18 78, Apr-19 80, Nov-19 79", 1.5),
    ("CL 1a", "Percentage in employment, education or training (EET) on their 17th to 21st birthday", "%", "High",
     "85%", "64%", "65%", "Red", "Up 1pp", "care leavers 17-21", "Apr-18 58, Apr-19 61, Nov-19 63", 1.5),
    ("CL 3a", "Percentage in suitable accommodation on their 17th to 21st birthday", "%", "High", "90%", "94%",
     "95%", "Green", "Up 1pp", "care leavers 17-21", "Apr-18 89, Apr-19 91, Nov-19 93", 1.2),
    ("CL 5", "Percentage in touch with the authority from 17th to 21st birthday", "%", "High", "95%", "94%", "92%",
     "Amber", "Down 2pp", "care leavers 17-21", "Apr-18 90, Apr-19 92, Nov-19 93", 1.2)]), ("Quality assurance", [
    ("QA 1", "Percentage of children with supervision within timescale", "%", "High", "95%", "75%", "90%", "Amber",
     "Up 15pp", "open children", "Apr-18 51, Nov-18 53, Dec-18 68, Jun-19 71, Nov-19 70", 2.5),
    ("QA 6", "Percentage of CP cases with supervision within the timescale (31 days)", "%", "High", "95%", "66%",
     "90%", "Amber", "Up 24pp", "cp", "Apr-18 62, Apr-19 64, Nov-19 68", 3),
    ("QA 7", "Percentage of CLA/CIN cases with supervision within timescale (60 days)", "%", "High", "95%", "64%",
     "83%", "Red", "Up 19pp", "cla and cin", "Apr-18 58, Apr-19 62, Nov-19 65", 3),
    ("QA 8", "Percentage of assessments/care leavers with supervision within timescale (90 days)", "%", "High",
     "95%", "88%", "88%", "Amber", "No change", "assessments and care leavers", "Apr-18 80, Apr-19 84, Nov-19 87", 2),
    ("P1", "Vacancy rate", "%", "Low", "30%", "38%", "38%", "Amber", "No change", "posts",
     "Apr-18 33, Apr-19 36, Nov-19 38", 1),
    ("W 1", "Average caseload per social worker", "number", "Low", "17", "16.6", "14.4", "Green", "Down 2.2", "",
     "Apr-18 19.0, Oct-18 18.4, Mar-19 17.9, Apr-19 17.6, May-19 17.2, Jun-19 16.6, Jul-19 16.2, Aug-19 16.0, "
     "Sep-19 15.8, Oct-19 16.1, Nov-19 15.6", 0.3),
    ("W1 a", "Average caseload per social worker - assessment", "number", "Low", "20", "15.8", "16.0", "Green",
     "Up 0.2", "", "Apr-18 21.5, Apr-19 19.0, Nov-19 16.2", 0.6),
    ("W1 b", "Average Caseload per Worker - Social Work With Families", "number", "Low", "16", "13.0", "13.7",
     "Green", "Up 0.7", "", "Apr-18 17.8, Apr-19 16.5, Nov-19 13.5", 0.5),
    ("W1 c", "Average caseload per social worker - CIC", "number", "Low", "16", "13.5", "13.0", "Green",
     "Down 0.5", "", "Apr-18 16.9, Apr-19 15.8, Nov-19 13.9", 0.4),
    ("W1 d", "Average caseload per social worker - CWD", "number", "Low", "20", "18.6", "17.6", "Green", "Down 1",
     "", "Apr-18 19.5, Apr-19 19.0, Nov-19 18.9", 0.5),
    ("W1 e", "Average caseload per newly qualified social worker (ASYE)", "number", "Low", "14", "8.8", "9.3",
     "Green", "Up 0.5", "", "Apr-18 10.5, Apr-19 9.8, Nov-19 9.0", 0.4),
    ("W1 f", "Average caseload per worker - leaving care", "number", "Low", "25", "23.7", "22.4", "Green",
     "Down 1.3", "", "Apr-18 26.5, Apr-19 25.2, Nov-19 23.9", 0.5),
    ("W1 g", "Average caseload per worker - adolescent teams", "number", "Low", "16", "15.4", "16.6", "Amber",
     "Up 1.2", "", "Apr-18 22.0, Apr-19 23.5, Aug-19 25.0, Sep-19 22.6, Oct-19 20.3, Nov-19 18.1", 0.5)])]
# Denominator cohorts: (trend "month size, ...", relative noise).
COHORTS_002 = {
    "referrals": ("Apr-18 430, Apr-19 400, Jan-20 340", 0.04), "referrals closed": ("Apr-18 290, Jan-20 310", 0.05),
    "early help closures": ("Apr-18 210, Jan-20 230", 0.06), "assessments": ("Apr-18 450, Jan-20 380", 0.05),
    "cin": ("Apr-18 620, Apr-19 600, Jul-19 585, Oct-19 572, Nov-19 610, Dec-19 650, Jan-20 675", 0.02),
    "icpcs": ("Apr-18 42, Jan-20 38", 0.12), "found episodes": ("Apr-18 200, Jan-20 230", 0.08),
    "cp": ("Apr-18 520, Oct-18 545, Apr-19 560, Jul-19 500, Oct-19 430, Nov-19 410, Dec-19 395, Jan-20 381", 0.015),
    "missing children": ("Apr-18 130, Jan-20 145", 0.08), "cla": ("Apr-18 810, Apr-19 830, Jan-20 790", 0.01),
    "cla 12 months": ("Apr-18 560, Jan-20 550", 0.01), "eligible cla": ("Apr-18 250, Jan-20 265", 0.02),
    "school age cla": ("Apr-18 470, Jan-20 485", 0.01), "entered care": ("Apr-18 30, Jan-20 30", 0.15),
    "foster carers": ("Apr-18 245, Jan-20 236", 0.01), "care leavers": ("Apr-18 790, Jan-20 840", 0.01),
    "care leavers 17-21": ("Apr-18 590, Jan-20 615", 0.01), "open children": ("Apr-18 3100, Jan-20 2900", 0.02),
    "cla and cin": ("Apr-18 1450, Jan-20 1460", 0.02), "assessments and care leavers": ("Apr-18 1080, Jan-20 1120", 0.02),
    "posts": ("Apr-18 320, Jan-20 330", 0.0),
}
YTD_002 = {"%": "Ratio", "count": "Mean", "number": "Mean"}      # P1 (a snapshot) is Latest
ARREARS_002 = {"CLA 18": 2}
# The Rebase sheet: (ID, from, reason). QA 1 is measured against the supervision policy of
# December 2018 (quoted in its commentary), so its figures step up that month; the SPC
# limits start again there, and only January 2020 stands out from the new level.
REBASE_002 = [("QA 1", "Dec-18", "New supervision policy: timescales by case type")]

SETTINGS_002 = [("Title", "Early Help & Children's Social Care KPI report"),
                ("Organisation", "London Borough of Croydon"), ("Period", date(2020, 1, 1)),
                ("Financial year start", "April"), ("Months shown", 6), ("Tolerance", 10),
                ("Tolerance type", "points"), ("RAG basis", "Month"), ("Template", "kpi-scorecard"),
                ("Refresh note", REFRESH_NOTE)]

OVERVIEW_002 = {
    "Going well or better": [
        ("W 1", "Caseloads remain below target across the service, with an overall average of 14.4 cases per worker in January 2020"),
        ("", "Timeliness of visits to children subject to CP Plans (97%) and CLA (96%)"),
        ("", "Improvement in CIN work, better but still under target (91% of CIN reviews on time and 90% of CIN plans up-to-date)"),
        ("", "32% reduction in the number of children with child protection (CP) plans since April 2019"),
        ("", "Sustained reduction in the number of cases in proceedings and public law outline (PLO)"),
        ("QA 1", "Significant improvement in the timeliness of supervision to 90%")],
    "Ones to watch": [
        ("CIN 4", "CIN visit timeliness increased to its highest level (89% in Jan), but is still 6% under target"),
        ("AMT 2", "Timeliness of Assessments remains inconsistent, it is below target with 77% completed in timescale in January 2020"),
        ("", "Responses to missing children and young people have improved with more RHI's, risk assessments and exploitation episodes taking place"),
        ("", "Significant improvement in the timeliness of Foster Carer reviews (94%) and visits (91%)"),
        ("CLA 14", "94% of CLA plans are up-to-date – this has been maintained since December 19")],
    "Things to do better": [
        ("CLA 18", "Inconsistent performance for Initial Health Assessments completed within 20 working days of entering care (90% in Oct 2019, 73% Nov 2019)"),
        ("", "Under target performance across other CLA health indicators"),
        ("", "Timeliness of CLA (80%) and Care Leavers (82%) Pathway planning remains below the 95% target despite improvements in January 2020")],
}

_PATHWAY = ("""
Pathway planning for older children in our care (orange bars) has improved steadily over the past 12 months from a low base. However performance for care leavers (blue bars) has remained relatively static and changes to the plan format to improve quality have impacted on timeliness.""", """
Activity to improve transition planning across the service is underway, this includes systems training and closer performance monitoring to ensure that plans are triggered earlier in order to support improved performance. 38% of young people open to leaving care are over 21 and current reporting does not differentiate between those young people who require a plan and those who do not, or are refusing one.""")
_FOSTERING = ("""
A new acting Service Lead, who joined in November, is delivering improvement activity to drive up quality and timeliness around key areas of practice, including timely reviews and visits, which is reflected in the recent improvement in performance. A “Fostering Four” dataset of KPI’s has been developed to provide focus on key performance indicators.
In January both the fostering reviews and visits increased by 7% and 12% respectively, an early sign that the new leadership and performance focus is having an impact.""", """
Improving the fostering service to provide high challenge and high support to our foster carers is a key service priority for 2020. An external review of the fostering service has been completed and there is an extensive service improvement plan in place.""")
_OTHER_HEALTH = ("", """
For other CLA Health Indicators (set out in line graph above) an action plan is in place across the partnership to address performance which is inconsistent and below target. There are strategic and operational groups meeting (attended by designated doctor and nurse, commissioning and Head of Service for SWwCLA) to monitor performance closely and resolve issues together. Improving performance around SDQ's and dentals is a particular focus for 2020, supported by a 'health champion's programme' to raise awareness across CSC.""")
# Commentary, verbatim, per indicator: (ID, Why, What)
COMMENTARY_002 = [
    ("W 1", """
Average caseloads across the service (red dotted line) have remained below the target of 17 since June 2019 and are below the 2018/19 average (straight red line). This is due to a variety of factors including a significant investment in more frontline staff and managers across the service and a reduction in the number of children with CIN and CP plans. The service has also been able to keep caseloads low for newly qualified staff which is positive (blue dotted line).
Within this period, average caseloads in Adolescent Support have reduced from 25 per worker to 16.6 as a result of recruitment activity. Due to the complexity of cases in Adolescent Support the target caseload of 16 is being reviewed. Distribution of caseloads across teams, including the range of cases (highest and lowest), is also reported weekly and monitored closely by Heads of Service to ensure that workers caseloads are manageable.""", ""),
    ("CP 13", """
Children who are subject to child protection plans have been visited with increasing frequency. Over the past 6 months with performance being sustained on, or above target, with 88% of children being seen every 10 days.
A variety of factors including more staff, lower average caseloads, fewer CP cases, improved recording practices and the impact of new leadership at Head of Service and Service Manager level have all contributed to this improvement.""", """
The challenge now is now to focus on improving the quality of all visits and making them more purposeful, thereby improving the quality of direct work with children and young people."""),
    ("CLA 10", """
The timeliness of visits to children in our care has been on an upward trajectory since October 2018 and performance has been sustained above target since October 2019.
Improvement in recording practices and new leadership at a team and service manager level is resulting in a more child focused culture.""", """
As with CP visits, the focus going forward for social workers and social care managers is to balance quality with compliance, spending more time planning visits to ensure that they are purposeful and the voices of children are understood, recorded and used to inform future plans for children."""),
    ("CIN 5", """
The number of CIN cases (excluding those allocated to CWD) increased by 18% (103 children) since October 2019 as more cases have been stepped down from CP plans.
Positively this increase has not affected the timeliness of CIN reviews and performance has remained constant over this period despite the growth in numbers.
Step downs from CIN plans to Early Help continue where it is safe to do so, meaning that more families are being supported at a lower level.""", ""),
    ("CIN 8", """
Following 3 months of focused activity including weekly reviews of CIN performance amongst managers in SWwF, led by the Head of Service, there has been a 22% increase in the number of plans updated in timescale.
In January, this reached 90% which is the high level achieved to date, although still below the 95% target.
This indicator forms part of the “Croydon 5” a suite of performance indicators reviewed weekly by managers across CSC in order to continue to improve performance.""", ""),
    ("QA 1", """
There has been a concerted effort over the last month to improve supervision records, particularly in SWwCLA. An additional 500 records have been updated over the last 6 weeks ensuring cases have management oversight recorded in a timely fashion. This has resulted in a 15% increase in supervision performance in January which is a significant step forward for the service.
Supervision policy (December 18)
Supervision should be recorded on children's casefiles as per the below frequency;
- Child protection at least once per month
- Child in Need at least once every two months
- Early Help at least once every two months
- Looked after at least once every two months
- Care leavers (18+) At least once every 3 months""", """
Supervision is closely monitored by all Heads of Service and the Director in order to improve both the quality and the timeliness. It is important to ensure that the quality of supervision improves to be more analytical and reflective, the Quality Assurance service are working alongside managers to ensure that supervision reflects our systemic practice model."""),
    ("CIN 4", """
Following focused activity this year, the CIN visits have increased to 89%, which is the highest level it has been this year. Performance has been inconsistent over the year and a priority now is to embed sustained improvement.
Lower performance in comparison with other visit figures (for CP and CLA) is partially due to higher risk work (e.g. CP and court) being prioritised. Weekly CIN performance monitoring from the Head of Service and Service Managers in SWwF is in place to drive up performance across all CIN indicators and improve practice which has led to 92% of CIN visits in SWwF being completed in timescale in January.""", ""),
    ("MC 1c", """
Missing children is still an area which the service is monitoring closely in order to ensure that children have harm reduction plans. There is a targeted focus to support Social Workers recording all aspects of missing activity on CRS. Where appropriate, workers refer young people to the Complex Adolescent Panel, ensuring the needs of each young person are understood and a multi-agency response is implemented to reduce risks.""", ""),
    ("MC 12", """
There is a small but significant number of children looked after who are going missing regularly, and these account for 82% of all children who go missing. The CLA Service managers regularly discuss these children with Team Managers and Social Workers to ensure robust plans are in place.""", ""),
    ("AMT 2", """
Assessment timeliness remains inconsistent across the Service, analysis shows that repeat assessments on open cases reduce performance. This performance data covers all C&F assessments conducted across the service (not just initial assessments), including those carried out on open cases. There has also been a concerted effort by managers across the service to drive up the quality of assessments, not just their timeliness.
The number of referrals into CSC for assessment is reducing to be more in line with national averages and statistical neighbours which should support an improvement in timeliness for initial C&F assessments in 2020.""", """
In January 2020 80% of assessments undertaken by the Assessment Service were completed in timescale. The focus going forward is to ensure assessments are completed in a more timely manner with the right outcome, while maintaining the focus on quality and working more closely with partners through the Single Point of Contact. Assessment timeliness in SWwF is being monitored by the Head of Service during weekly performance meetings."""),
    ("F 3", *_FOSTERING), ("F 4", *_FOSTERING),
    ("CLA 14", """
Managers in the service are challenging the quality of work, ensuring plans are smarter and more are influenced by the voice of children and young people. Robust performance management activity is underway to raise standards across Social Work with CLA and has resulted in improved performance for December and January, an increase to 94%.
In a sustained effort to ensure that the care plans of CLA are kept up-to-date, this measure is one of the “Croydon 5”.""", ""),
    ("CLA 15", *_PATHWAY), ("CL a", *_PATHWAY),
    ("CLA 18", """
The number of children and young people who receive and IHA is on average 90%. The timeliness of initial IHA's for our CLA has fluctuated significantly over the past six months and needs sustained improvement. This is due to barriers to timely notification that an IHA is required, such as, clunky recording practices and in some cases failure to gain consent from parents via section 20 early enough. Reporting can also be negatively affected by recording issues with CSC and the CLA health team due to the use of different recording systems.""", """
Actions to improve performance around initial health assessments include;
- Work with frontline SW's and TM's to improve the timeliness of IHA referrals as soon as a child becomes looked after
- Identifying and resolving systems and recording issues
- Delivering Improvements to CLA nursing team, redesign Review Health Assessment tool, (as identified in September 2019 service review)"""),
    ("CLA 16", *_OTHER_HEALTH), ("CLA 27", *_OTHER_HEALTH), ("CLA 28", *_OTHER_HEALTH),
]

# =====================================================================================
# Months and numbers
# =====================================================================================
MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def mon(text: str) -> date:
    """'Sep-13' -> 2013-09-01."""
    name, yy = text.split("-")
    return date(2000 + int(yy), MONTH_NAMES.index(name) + 1, 1)


def label(d: date) -> str:
    return f"{MONTH_NAMES[d.month - 1]}-{d.year % 100:02d}"


def span(first: str, last: str) -> list[date]:
    a, b = mon(first), mon(last)
    return [date(y, m, 1) for y in range(a.year, b.year + 1) for m in range(1, 13) if a <= date(y, m, 1) <= b]


def month_no(d: date) -> int:
    return d.year * 12 + d.month


def frac(x) -> Fraction:
    """Exact value of a stored figure (floats by their shortest repr, as Excel shows them)."""
    return x if isinstance(x, Fraction) else Fraction(Decimal(repr(x))) if isinstance(x, float) else Fraction(x)


def parse(text: str):
    """Printed figure -> (value in the unit printed, decimals printed), or None for '-', text, blank.
    '74%' -> (74, 0); '8.57' -> (8.57, 2); 'Nov 19: 73%' -> (73, 0)."""
    t = text.split(":")[-1].strip().rstrip("%")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    return Fraction(Decimal(t)), len(t.partition(".")[2])


def half_up(q: Fraction, dec: int) -> Fraction:
    return Fraction(math.floor(q * 10 ** dec + Fraction(1, 2)), 10 ** dec)


def on_edge(q: Fraction, dec: int) -> bool:
    """Exactly half way between two displayed figures (e.g. 62.5% shown as a whole percent)."""
    twice = q * 10 ** dec * 2
    return twice.denominator == 1 and twice.numerator % 2 == 1


def scale(unit: str) -> int:
    return 100 if unit == "%" else 1


def shows(value, unit: str, printed: str) -> bool:
    """Does a stored value display as the printed figure, rounding half up at the printed decimals?"""
    p, dec = parse(printed)
    return half_up(frac(value) * scale(unit), dec) == p


def stored(text: str, unit: str):
    """The value a performance officer would type for a printed figure (a % as a fraction)."""
    if parse(text) is None:
        return text
    v = Decimal(text.rstrip("%")) / scale(unit)
    return int(v) if unit != "%" and v == v.to_integral_value() else float(v)


def rng_for(key: str) -> random.Random:
    return random.Random(zlib.crc32(key.encode()))


SEASON = [1.00, 1.04, 0.98, 1.06, 0.86, 0.97, 1.08, 1.05, 0.84, 1.03, 1.01, 1.08]   # Apr..Mar


def weights(key: str, n: int, season=True) -> list[float]:
    r = rng_for(key + "/weights")
    return [(SEASON[i % 12] if season else 1) * (1 + r.uniform(-0.12, 0.12) / (1 if season else 2))
            for i in range(n)]


def counts(key: str, total: int, w: list[float], caps: list[int] | None = None) -> list[int]:
    """Monthly counts summing to total: proportional to w, or, for small counts, falling
    one at a time at (seeded) random, as small counts do."""
    if total >= 4 * len(w):
        return spread(total, w, caps)
    r, parts, caps = rng_for(key + "/scatter"), [0] * len(w), caps or [total] * len(w)
    for _ in range(total):
        room = [k for k in range(len(w)) if parts[k] < caps[k]]
        parts[r.choices(room, weights=[w[k] for k in room])[0]] += 1
    return parts


def spread(total: int, w: list[float], caps: list[int] | None = None) -> list[int]:
    """Split a whole number into whole parts proportional to w (largest remainder), within caps."""
    caps = caps or [10 ** 9] * len(w)
    share = [total * x / sum(w) if sum(w) else 0 for x in w]
    parts = [min(int(s), c) for s, c in zip(share, caps)]
    while sum(parts) < total:
        i = max((k for k in range(len(w)) if parts[k] < caps[k]), key=lambda k: (share[k] - parts[k], -k))
        parts[i] += 1
    return parts


def num_for(printed: str, den: int, unit: str):
    """Numerator closest to the printed figure for this denominator, or None if none shows as printed."""
    target = parse(printed)[0] / scale(unit)
    base = math.floor(target * den)
    hits = [n for n in range(max(0, base - 2), base + 3) if shows(Fraction(n, den), unit, printed)]
    return min(hits, key=lambda n: abs(Fraction(n, den) - target)) if hits else None


def fit_den(printed: str, near: int, unit: str, tol: Fraction | None = None) -> tuple[int, int]:
    """(numerator, denominator) nearest `near` that shows as printed, not on a rounding edge,
    and (with tol) within tol of the printed figure so changes survive rounding."""
    target = parse(printed)[0] / scale(unit)
    for step in range(0, 80):
        den = near + (step + 1) // 2 * (-1 if step % 2 else 1)
        n = num_for(printed, den, unit) if den > 0 else None
        if n is not None and not on_edge(Fraction(n, den) * scale(unit), parse(printed)[1]) \
                and (tol is None or abs(Fraction(n, den) - target) <= tol):
            return n, den
    raise AssertionError(f"no denominator near {near} gives {printed}")


def fill_ratio(key: str, jobs: list, dens: list[int], unit: str):
    """Fabricated numerators over shared denominators `dens` so that each job's
    (known numerators + new) / (known denominators + new) shows as printed.
    jobs: [(printed, known_num, known_den)].  Nudges one denominator if it must."""
    big = max(range(len(dens)), key=lambda k: dens[k])
    for delta in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6):
        trial = dens[:big] + [dens[big] + delta] + dens[big + 1:]
        caps = trial if unit == "%" else [d * 5000 for d in trial]
        totals = []
        for printed, kn, kd in jobs:
            D, (p, dec) = kd + sum(trial), parse(printed)
            target = p / scale(unit)
            ok = [N for N in range(math.floor(target * D) - 2, math.floor(target * D) + 3)
                  if 0 <= N - kn <= sum(caps) and half_up(Fraction(N, D) * scale(unit), dec) == p
                  and not on_edge(Fraction(N, D) * scale(unit), dec)]
            if not ok:
                break
            totals.append(min(ok, key=lambda N: abs(Fraction(N, D) - target)) - kn)
        else:
            return trial, [counts(f"{key}/{i}", t, [d * w for d, w in zip(trial, weights(f"{key}/{i}", len(trial),
                                                                                       False))], caps)
                           for i, t in enumerate(totals)]
    raise AssertionError(f"{key}: no numerators reproduce {jobs}")


def fill_mean(key: str, printed: str, known: list, n: int, dec_values: int = 1) -> list[float]:
    """n values (dec_values decimals) so the mean of known + new shows as printed."""
    p, dec = parse(printed)
    unit, count, ks = 10 ** dec_values, len(known) + n, sum(frac(v) for v in known)
    base = round((p * count - ks) * unit)
    for k in sorted(range(base - 30, base + 31), key=lambda k: (abs(k - base), k)):
        mean = (ks + Fraction(k, unit)) / count
        if half_up(mean, dec) == p and not on_edge(mean, dec):
            return [round(x / unit, dec_values) for x in spread(k, weights(key, n))]
    raise AssertionError(f"{key}: no mean gives {printed}")


def path(key: str, a: float, b: float, n: int, noise: float, digits: int) -> list[float]:
    """n values on the straight line strictly between a and b, with seeded noise."""
    r = rng_for(key + "/path")
    return [round(a + (b - a) * (i + 1) / (n + 1) + r.uniform(-noise, noise), digits) for i in range(n)]


def anchors(spec: str) -> dict[date, float]:
    """'Apr-18 78, Jan-19 82' -> {2018-04-01: 78.0, 2019-01-01: 82.0}."""
    return {mon(m): float(v) for m, v in (item.split() for item in spec.split(","))}


def trend(key: str, points: dict[date, float], months: list[date], noise: float, relative=False) -> list[float]:
    """Values along straight lines through `points`; months that are not points get seeded noise."""
    r, xs, out = rng_for(key + "/trend"), sorted(points), []
    for m in months:
        if m in points:
            out.append(points[m])
            continue
        before, after = [x for x in xs if x < m], [x for x in xs if x > m]
        if not before or not after:
            v = points[(after or before)[0 if after else -1]]
        else:
            a, b = before[-1], after[0]
            v = points[a] + (points[b] - points[a]) * (month_no(m) - month_no(a)) / (month_no(b) - month_no(a))
        u = r.uniform(-noise, noise)
        out.append(v * (1 + u) if relative else v + u)
    return out


def year_figure(rows: list, method: str):
    """Outturn of (value, num, den) rows by the YTD method; text values are left out."""
    nums = [(frac(v), n, d) for v, n, d in rows if not isinstance(v, str)]
    if not nums:
        return None
    if method == "Sum":
        return sum(v for v, _, _ in nums)
    if method == "Mean":
        return sum(v for v, _, _ in nums) / len(nums)
    if method == "Latest":
        return nums[-1][0]
    return Fraction(sum(n for _, n, _ in nums if n is not None), sum(d for _, _, d in nums if d is not None))


# =====================================================================================
# Report 000: build the data
# =====================================================================================
PRIOR_000, FILL_000, SHOWN_000 = span("Apr-12", "Mar-13"), span("Apr-13", "Aug-13"), span("Sep-13", "Feb-14")
QUARTERS_000 = [mon(m) for m in ("Dec-12", "Mar-13", "Jun-13", "Sep-13", "Dec-13")]


class Ind:
    """One indicator row of report 000."""
    def __init__(self, row):
        (self.section, self.id, self.title, self.unit, self.polarity, self.target, self.ytd, self.dec, self.cp,
         self.prior, months, self.ytd_printed, self.arrow, self.rag) = row
        self.months = months.split("|")
        self.quarterly = len(self.months) == 5
        self.periods = QUARTERS_000 if self.quarterly else SHOWN_000


def build_000():
    inds = [Ind(r) for r in HARINGEY]
    by = {i.id: i for i in inds}
    data = {i.id: {} for i in inds}                      # id -> {date: [value, num, den, note]}

    def values(i, months):
        return [data[i][m][0] for m in months]

    for i in inds:                                       # every printed month, as printed
        for k, (d, text) in enumerate(zip(i.periods, i.months)):
            text = FRONT_THIS_000.get(i.id, text) if k == 5 else text
            data[i.id][d] = [stored(PRECISE_000.get(i.id, {}).get(k, text), i.unit), None, None, None]
    for m, target in CIC_TRAJECTORY.items():
        data["LAC 1"][mon(m)][3] = f"Haringey target {target}"

    # counts: months that sum to the printed outturn and YTD
    for i in inds:
        if i.ytd != "Sum" or i.unit != "count" or i.id in ("LAC 5", "AD 1"):
            continue
        if parse(i.prior):
            for d, v in zip(PRIOR_000, counts(i.id + "/prior", int(i.prior), weights(i.id + "/prior", 12))):
                data[i.id][d] = [v, None, None, None]
        total = SUM_TOTAL_000.get(i.id) or int(i.ytd_printed) - sum(v for v in values(i.id, SHOWN_000)
                                                                     if not isinstance(v, str))
        for d, v in zip(FILL_000, counts(i.id, total, SUM_WEIGHTS_000.get(i.id) or weights(i.id, 5))):
            data[i.id][d] = [v, None, None, None]
    for d in PRIOR_000 + FILL_000:                       # derived counts
        data["AD 1"][d] = [data["AD 2"][d][0] + data["AD 3"][d][0], None, None, None]
        data["LAC 5"][d] = [data["LAC 3"][d][0] - data["LAC 4"][d][0], None, None, None]
    for stock, into, out in (("CP 1", "CP 3", "CP 4"), ("LAC 1", "LAC 3", "LAC 4")):   # stocks follow the flows
        s = int(by[stock].prior) - sum(values(into, PRIOR_000)) + sum(values(out, PRIOR_000))
        for d in PRIOR_000 + FILL_000:
            s += data[into][d][0] - data[out][d][0]
            data[stock][d] = [s, None, None, None]
    for rate, base in (("CRA 3", "CRA 2"), ("CP 2", "CP 1"), ("LAC 2", "LAC 1")):     # per 10,000 children
        for d, row in data[base].items():
            pop = POPULATION[d.year if d.month > 3 else d.year - 1]
            data[rate][d] = [round(row[0] * 10_000 / pop, 2), None, None, None]

    # ratios: numerators over linked denominators, fabricated to hit outturn and YTD
    groups = {}
    for i in inds:
        if i.id in RATIO_DENS_000 and i.ytd == "Ratio":
            groups.setdefault(RATIO_DENS_000[i.id], []).append(i)
    for source, members in groups.items():
        if source in COHORTS_000:
            shown_dens, avg = COHORTS_000[source]
            fill_dens = counts(source, avg * 5, weights(source, 5))
            prior_dens = counts(source + "p", avg * 12, weights(source + "p", 12))
        else:
            shown_dens = values(source, SHOWN_000)
            fill_dens = values(source, FILL_000)
            prior_dens = values(source, PRIOR_000) if PRIOR_000[0] in data[source] else []
        jobs = []
        for i in members:
            kn = kd = 0
            for d, den in zip(SHOWN_000, shown_dens):
                text = i.months[SHOWN_000.index(d)]
                if parse(text) is None:
                    continue
                num = num_for(text, den, i.unit) if den else None
                if num is None:
                    num, den = fit_den(text, den, i.unit)
                data[i.id][d] = [num / den, num, den, None]
                kn, kd = kn + num, kd + den
            jobs.append((i.ytd_printed, kn, kd))
        for months, dens, js, who in ((FILL_000, fill_dens, jobs, members),
                                      (PRIOR_000, prior_dens, None, [i for i in members if parse(i.prior)])):
            if not who:
                continue
            js = js or [(i.prior, 0, 0) for i in who]
            dens, nums = fill_ratio(f"{source}/{months[0]}", js, dens, who[0].unit)
            for i, ns in zip(who, nums):
                for d, n, den in zip(months, ns, dens):
                    data[i.id][d] = [n / den, n, den, None] if den else ["-", None, None, None]

    # snapshots ("Latest"): a line from last year's outturn to the first printed month
    for i in inds:
        if i.ytd != "Latest" or i.quarterly or i.id in ("CP 1", "CP 2", "LAC 1", "LAC 2"):
            continue
        digits, noise, top = (3, 0.008, 0.995) if i.unit == "%" else (i.dec, 0.12, math.inf)
        r = rng_for(i.id)
        if parse(i.prior):
            end = float(stored(i.prior, i.unit))
            start = round(end + r.uniform(-0.04, min(0.04, top - end)) if i.unit == "%"
                          else end * (1 + r.uniform(-0.06, 0.06)), digits)
            for d, v in zip(PRIOR_000, [start] + path(i.id + "p", start, end, 10, noise, digits) + [end]):
                data[i.id][d] = [min(v, top), None, None, None]
        first = next(v for v in values(i.id, SHOWN_000) if not isinstance(v, str))
        a = float(stored(i.prior, i.unit)) if parse(i.prior) else LATEST_START_000[i.id]
        for d, v in zip(FILL_000, path(i.id, a, first, 5, noise, digits)):
            data[i.id][d] = [min(v, top), None, None, None]
        if i.id in RATIO_DENS_000:                       # a snapshot with numerators (CP 6)
            for d, row in data[i.id].items():
                den = data[RATIO_DENS_000[i.id]][d][0]
                num = round(row[0] * den)
                if d in SHOWN_000 or d == PRIOR_000[-1]:
                    num = num_for(i.months[SHOWN_000.index(d)] if d in SHOWN_000 else i.prior, den, i.unit)
                data[i.id][d] = [num / den, num, den, None]

    # averages ("Mean"): months whose mean gives the printed outturn and YTD
    for i in inds:
        if i.ytd != "Mean":
            continue
        for d, v in zip(PRIOR_000, fill_mean(i.id + "p", i.prior, [], 12)):
            data[i.id][d] = [v, None, None, None]
        shown = [v for v in values(i.id, SHOWN_000) if not isinstance(v, str)]
        for d, v in zip(FILL_000, fill_mean(i.id, i.ytd_printed, shown, 5)):
            data[i.id][d] = [v, None, None, None]

    check_000(inds, data)
    return inds, {k: dict(sorted(v.items())) for k, v in data.items()}


def check_000(inds, data):
    for i in inds:
        rows = data[i.id]
        for d, text in zip(i.periods, i.months):
            v = rows[d][0]
            assert v == text if parse(text) is None else shows(v, i.unit, text), (i.id, d, v, text)
        for v, n, den, _ in rows.values():
            assert n is None or (den and v == n / den and 0 <= n), (i.id, v, n, den)
        ytd_months = [d for d in sorted(rows) if mon("Apr-13") <= d <= mon("Feb-14")]
        prior_months = [d for d in sorted(rows) if d <= mon("Mar-13")]
        for months, printed in ((prior_months, i.prior), (ytd_months, i.ytd_printed)):
            if parse(printed):
                fig = year_figure([rows[d][:3] for d in months], i.ytd)
                assert half_up(fig * scale(i.unit), parse(printed)[1]) == parse(printed)[0], (i.id, printed, fig)
        if not i.quarterly:
            assert set(rows) >= set(FILL_000 + SHOWN_000), i.id
            assert not parse(i.prior) or set(rows) >= set(PRIOR_000), i.id
        if i.unit == "%":
            assert all(0 <= frac(r[0]) <= 1 for r in rows.values() if not isinstance(r[0], str)), i.id


# =====================================================================================
# Report 002: build the data
# =====================================================================================
MONTHS_002 = span("Apr-18", "Jan-20")


def build_002():
    data, cohorts, inds = {}, {}, []

    def cohort(name):
        if name in data:
            return {d: row[0] for d, row in data[name].items()}
        if name not in cohorts:
            spec, noise = COHORTS_002[name]
            cohorts[name] = dict(zip(MONTHS_002, (round(v) for v in trend(
                "cohort " + name, anchors(spec), MONTHS_002, noise, relative=True))))
        return cohorts[name]

    for section, rows in CROYDON:
        for (id_, title, unit, pol, target, prev_t, this_t, rag, change, den_name, spec, noise) in rows:
            inds.append(dict(id=id_, title=title, section=section, unit=unit, polarity=pol, target=target,
                             prev=prev_t, this=this_t, rag=rag, change=change, dec=1 if unit == "number" else 0,
                             ytd="Latest" if id_ == "P1" else YTD_002[unit], arrears=ARREARS_002.get(id_, 0)))
            months = MONTHS_002[:len(MONTHS_002) - ARREARS_002.get(id_, 0)]
            printed = {months[-2]: prev_t, months[-1]: this_t}
            points = {d: v / scale(unit) for d, v in anchors(spec).items()}
            points.update({d: float(parse(t)[0]) / scale(unit) for d, t in printed.items()})
            fab = [d for d in months if d not in printed]
            rows_ = {}
            for d, v in zip(fab, trend(id_, points, fab, noise / scale(unit))):
                if unit == "%":
                    den = cohort(den_name)[d]
                    num = min(den, max(0, round(v * den)))
                    rows_[d] = [num / den, num, den, None]
                else:
                    rows_[d] = [max(0, round(v)) if unit == "count" else round(v, 1), None, None, None]
            for d, t in printed.items():
                if unit == "%":
                    num, den = fit_den(t, cohort(den_name)[d], unit, tol=Fraction(1, 500))
                    rows_[d] = [num / den, num, den, None]
                else:
                    rows_[d] = [stored(t, unit), None, None, None]
            data[id_] = dict(sorted(rows_.items()))
    data["CLA 18"][mon("Nov-19")][3] = "Reported one month in arrears to allow 20 working days after month end"
    check_002(inds, data)
    return inds, data


def check_002(inds, data):
    def shown(i, m):                                     # displayed figure, in percent for a %
        ind = next(x for x in inds if x["id"] == i)
        return half_up(frac(data[i][mon(m)][0]) * scale(ind["unit"]), ind["dec"])

    def fy(i, first, last):
        return [shown(i, label(d)) for d in span(first, last)]

    for ind in inds:
        rows, unit = data[ind["id"]], ind["unit"]
        last = MONTHS_002[-1 - ind["arrears"]]
        prev = MONTHS_002[-2 - ind["arrears"]]
        assert shows(rows[prev][0], unit, ind["prev"]) and shows(rows[last][0], unit, ind["this"]), ind["id"]
        assert len(rows) == 22 - ind["arrears"] and min(rows) == mon("Apr-18"), ind["id"]
        delta = parse(ind["change"].split()[-1].rstrip("p") if ind["change"] != "No change" else "0")[0]
        delta = -delta if ind["change"].startswith("Down") else delta
        raw = (frac(rows[last][0]) - frac(rows[prev][0])) * scale(unit)
        assert shown(ind["id"], label(last)) - shown(ind["id"], label(prev)) == delta, ind["id"]
        assert half_up(raw, ind["dec"]) == delta, (ind["id"], raw)         # the raw change rounds the same
        if unit == "%":
            assert all(0 <= frac(r[0]) <= 1 and r[0] == r[1] / r[2] for r in rows.values()), ind["id"]
    # what the narrative says
    w1 = fy("W 1", "Apr-18", "Jan-20")
    assert min(w1[12:14]) >= 17 and max(w1[14:]) < 17, "W 1 below 17 since June 2019"
    assert sum(w1[:12]) / 12 > max(w1[16:]), "W 1 below the 2018/19 average"
    assert shown("W1 g", "Aug-19") == 25 and shown("W1 g", "Jan-20") == Fraction(166, 10)
    assert max(fy("CIN 4", "Apr-18", "Dec-19")) < 89, "CIN 4: 89% in Jan is the highest this year"
    assert max(fy("CIN 8", "Apr-18", "Dec-19")) < 90, "CIN 8: 90% is the highest to date"
    assert 1.20 <= data["CIN 8"][mon("Jan-20")][1] / data["CIN 8"][mon("Oct-19")][1] <= 1.24, "CIN 8 +22%"
    for i in ("CIN 4", "CIN 5", "CIN 8"):
        assert data[i][mon("Oct-19")][2] == 572 and data[i][mon("Jan-20")][2] == 675, "CIN +18% (103)"
    assert all(88 <= v <= 91 for v in fy("CIN 5", "Oct-19", "Jan-20")), "CIN 5 constant"
    assert min(fy("CP 13", "Aug-19", "Jan-20")) >= 95, "CP 13 on or above target for 6 months"
    for i in ("CP 12", "CP 13", "QA 6"):
        cp = data[i][mon("Apr-19")][2], data[i][mon("Jan-20")][2]
        assert round((cp[0] - cp[1]) * 100 / cp[0]) == 32, "32% fewer CP plans since April 2019"
    cla10 = fy("CLA 10", "Oct-18", "Jan-20")
    assert cla10[0] == min(cla10) and min(cla10[12:]) > 95, "CLA 10 up since Oct 18, above target since Oct 19"
    assert shown("CLA 14", "Nov-19") < 94, "CLA 14 improved in Dec and Jan"
    assert mon("Dec-19") not in data["CLA 18"] and max(fy("CLA 18", "Jun-19", "Nov-19")) - \
        min(fy("CLA 18", "Jun-19", "Nov-19")) >= 20, "CLA 18 fluctuating, one month in arrears"
    assert fy("CLA 15", "Jan-19", "Jan-20")[::3] == sorted(fy("CLA 15", "Jan-19", "Jan-20")[::3])
    assert all(75 <= v <= 84 for v in fy("CL a", "Feb-19", "Jan-20")), "CL a static"
    assert all(data["MC 12"][d][0] <= data["MC 1c"][d][0] for d in MONTHS_002)
    for i in ("F 3", "F 4"):
        assert fy(i, "Nov-19", "Jan-20") == sorted(fy(i, "Nov-19", "Jan-20")), i
    assert min(fy("QA 1", "Dec-18", "Nov-19")) - max(fy("QA 1", "Apr-18", "Nov-18")) >= 10, \
        "QA 1 steps up with the supervision policy of December 2018 (the Rebase sheet)"


# =====================================================================================
# What the reports printed, and whether it follows from their own numbers
# =====================================================================================
def rag_rule(value, target, polarity, tolerance, kind):
    """Green at or beyond target; Amber when short by less than the tolerance; else Red.
    '' when there is no target or no judgement; 'No data' when there is no figure."""
    if target is None or polarity == "None":
        return ""
    if value is None:
        return "No data"
    band = tolerance if kind == "points" else abs(target) * tolerance / 100
    short = target - value if polarity == "High" else value - target
    return "Green" if short <= 0 else "Amber" if short < band else "Red"


def arrow_rule(prev: str, this: str):
    a, b = parse(prev), parse(this)
    if a is None or b is None:
        return None
    return "↑" if b[0] > a[0] else "↓" if b[0] < a[0] else "→"


def published_000(inds):
    out = []
    for i in inds:
        this = FRONT_THIS_000.get(i.id, i.months[-1])
        value = parse(i.ytd_printed)
        want = rag_rule(value and value[0], parse(i.target) and parse(i.target)[0], i.polarity, 5, "percent")
        arrow = arrow_rule(i.months[-2], this)
        ok = want == (i.rag if i.rag != "Grey" else "") and (arrow == i.arrow or (arrow is None and not i.arrow))
        assert ok == (i.id not in REASONS_000), (i.id, want, i.rag, arrow, i.arrow)
        out.append([i.id, this, i.months[-2], i.ytd_printed, i.target, i.rag, "", i.arrow,
                    "yes" if ok else "no", REASONS_000.get(i.id, "")])
    return out


def published_002(inds):
    out = []
    for i in inds:
        value, target = parse(i["this"])[0], parse(i["target"]) and parse(i["target"])[0]
        want = rag_rule(value, target, i["polarity"], 10, "points") or "Grey"
        delta = value - parse(i["prev"])[0]
        words = "No change" if delta == 0 else f"{'Up' if delta > 0 else 'Down'} {float(abs(delta)):g}"
        ok = want == i["rag"] and (words + ("pp" if i["unit"] == "%" and delta else "")) == i["change"]
        assert ok, (i["id"], want, words)                # every Croydon light and change follows
        out.append([i["id"], i["this"], i["prev"], "", i["target"], i["rag"], i["change"], "", "yes", ""])
    return out


def write_csv(path: Path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ID", "this_month", "previous", "ytd", "target", "rag", "change", "arrow", "consistent",
                    "reason"])
        w.writerows(rows)


# =====================================================================================
# Workbooks
# =====================================================================================
HEAD_FONT, HEAD_FILL = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
INDICATOR_COLUMNS = ["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Target upper", "Tolerance",
                     "Tolerance type", "RAG basis", "YTD", "Frequency", "Arrears", "Corporate plan", "Decimals"]
INDICATOR_WIDTHS = [9, 62, 30, 8, 9, 9, 8, 10, 10, 10, 8, 11, 8, 10, 9]


def number_format(unit: str, dec: int) -> str:
    digits = "." + "0" * dec if dec else ""
    return f"0{digits}%" if unit == "%" else f"#,##0{digits}"


def text_lines(s: str) -> str:
    return "\n".join(line.strip() for line in s.strip().splitlines() if line.strip())


def add_sheet(wb, title, header, rows, widths, wrap=(), formats=None):
    """A sheet with a bold frozen header, a filter, widths, wrapped columns and per-cell formats.
    formats(row_index, column_index) -> number format or None."""
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for r, row in enumerate(rows):
        ws.append(row)
        for c, cell in enumerate(ws[r + 2]):
            fmt = formats(r, c) if formats else None
            if fmt and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = fmt
            if wrap:
                cell.alignment = TOP_WRAP if c in wrap else TOP
        if wrap:                                         # rough row height for the wrapped text
            lines = max(sum(math.ceil(len(part) / (widths[c] * 1.2)) or 1 for part in str(row[c] or "").split("\n"))
                        for c in wrap)
            ws.row_dimensions[r + 2].height = min(409, 15 * max(1, lines))
    for c, w in enumerate(widths):
        ws.column_dimensions[chr(65 + c)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.sheet_view.zoomScale = 90
    return ws


def data_sheet(wb, inds, data):
    unit = {i["id"]: (i["unit"], i["dec"]) for i in inds}
    rows = [[i, d, *row] for i in data for d, row in data[i].items()]
    fmt = lambda r, c: "mmm-yy" if c == 1 else number_format(*unit[rows[r][0]]) if c == 2 else \
        "#,##0" if c in (3, 4) else None
    add_sheet(wb, "Data", ["ID", "Period", "Value", "Numerator", "Denominator", "Note"], rows,
              [9, 10, 12, 12, 13, 60], formats=fmt)


def indicators_sheet(wb, inds):
    rows = [[i["id"], i["title"], i["section"], i["unit"], i["polarity"],
             stored(i["target"], i["unit"]) if parse(i["target"]) else None, None, None, None, None, i["ytd"],
             i["freq"], i["arrears"], i["cp"], i["dec"]] for i in inds]
    fmt = lambda r, c: number_format(rows[r][3], rows[r][14]) if c == 5 else None
    add_sheet(wb, "Indicators", INDICATOR_COLUMNS, rows, INDICATOR_WIDTHS, wrap=(1,), formats=fmt)


def benchmarks_sheet(wb, inds, table):
    """The Benchmarks sheet, with a line above the header saying its figures are illustrative."""
    unit = {i["id"]: (i["unit"], i["dec"]) for i in inds}
    rows = benchmark_rows(table)
    fmt = lambda r, c: number_format(*unit[rows[r][0]]) if 3 <= c <= 6 else None
    ws = add_sheet(wb, "Benchmarks", BENCHMARK_HEADER, rows, [9, 22, 9, 9, 10, 9, 10, 36], formats=fmt)
    ws.insert_rows(1)
    ws["A1"] = ILLUSTRATIVE
    ws["A1"].font = Font(bold=True, color="C00000")
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:H{len(rows) + 2}"


def report_sheet(wb, settings):
    add_sheet(wb, "Report", ["Setting", "Value"], [list(s) for s in settings], [22, 90], wrap=(1,),
              formats=lambda r, c: "mmm-yy" if settings[r][0] == "Period" and c == 1 else None)


def save(wb, path: Path):
    """Save, then rewrite the zip with fixed timestamps so every run gives the same bytes."""
    wb.properties.creator = wb.properties.lastModifiedBy = "Performance and Insight Team"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = [(n, z.read(n)) for n in z.namelist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts:
            if name == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + STAMP, blob)
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, blob)


STAMP = b"2020-01-01T00:00:00Z"


def write_000(inds, data):
    wb = Workbook()
    wb.remove(wb.active)
    rows = [dict(id=i.id, title=i.title, section=i.section, unit=i.unit, polarity=i.polarity, target=i.target,
                 ytd=i.ytd, freq="Quarterly" if i.quarterly else "Monthly", arrears=0, cp=i.cp or None, dec=i.dec)
            for i in inds]
    indicators_sheet(wb, rows)
    data_sheet(wb, rows, data)
    add_sheet(wb, "Commentary", ["Section", "ID", "Why", "What", "When"],
              [[s or None, i or None, *(text_lines(t) or None for t in texts)]
               for s, i, *texts in COMMENTARY_000], [30, 8, 80, 70, 45], wrap=(2, 3, 4))
    report_sheet(wb, SETTINGS_000)
    bands, shares = DISTRIBUTION_000
    add_sheet(wb, "Distributions", ["Section", "Title", "Row", "Unit", *bands],
              [[CRA, "Distribution of days for completing assessments", "2013/14", "%",
                *(stored(s, "%") for s in shares)]], [30, 44, 9, 6] + [8] * len(bands),
              formats=lambda r, c: "0%" if c >= 4 else None)
    add_sheet(wb, "Targets", ["ID", "Period", "Target"], [list(t) for t in TARGETS_000], [9, 10, 10],
              formats=lambda r, c: "mmm-yy" if c == 1 else "#,##0" if c == 2 else None)
    benchmarks_sheet(wb, rows, BENCHMARKS_000)
    save(wb, HERE / "monthly_monitoring_feb2014.xlsx")


def write_002(inds, data):
    wb = Workbook()
    wb.remove(wb.active)
    rows = [dict(i, freq="Monthly", cp=None) for i in inds]
    indicators_sheet(wb, rows)
    data_sheet(wb, rows, data)
    add_sheet(wb, "Commentary", ["ID", "Why", "What", "When"],
              [[i, text_lines(why) or None, text_lines(what) or None, None] for i, why, what in COMMENTARY_002],
              [8, 90, 80, 20], wrap=(1, 2))
    report_sheet(wb, SETTINGS_002)
    add_sheet(wb, "Overview", ["List", "ID", "Text"],
              [[name, i or None, text] for name, items in OVERVIEW_002.items() for i, text in items],
              [22, 8, 110], wrap=(2,))
    benchmarks_sheet(wb, rows, BENCHMARKS_002)
    add_sheet(wb, "Rebase", ["ID", "Period", "Reason"], [[i, mon(m), why] for i, m, why in REBASE_002],
              [9, 10, 100], wrap=(2,), formats=lambda r, c: "mmm-yy" if c == 1 else None)
    save(wb, HERE / "kpi_scorecard_jan2020.xlsx")


def main():
    inds, data = build_000()
    write_000(inds, data)
    write_csv(DATA / "published_feb2014.csv", published_000(inds))
    inds2, data2 = build_002()
    write_002(inds2, data2)
    write_csv(DATA / "published_jan2020.csv", published_002(inds2))
    print(f"{len(inds)} indicators, {sum(map(len, data.values()))} data rows -> monthly_monitoring_feb2014.xlsx")
    print(f"{len(inds2)} indicators, {sum(map(len, data2.values()))} data rows -> kpi_scorecard_jan2020.xlsx")


if __name__ == "__main__":
    main()
