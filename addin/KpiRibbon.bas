Attribute VB_Name = "KpiRibbon"
' The KPI Scorecard ribbon's buttons (customUI14.xml). Each runs one function of
' kpi_xl.excel.scripts on the active workbook through xlwings' RunPython (module "xlwings",
' from xlwings' BSD-licensed xlwings_custom_addin.bas). Python and kpi_xl must be
' installed on the PC: pip install kpi_xl.
Option Explicit

Private Sub RunButton(ScriptName As String)
    RunPython "import kpi_xl.excel.scripts as s; s.run_caller('" & ScriptName & "')"
End Sub

Sub BuildScorecard(control As IRibbonControl)
    RunButton "build_scorecard"
End Sub

Sub RefreshRatings(control As IRibbonControl)
    RunButton "refresh_ratings"
End Sub

Sub CheckData(control As IRibbonControl)
    RunButton "check_data"
End Sub

Sub DirectorsCopy(control As IRibbonControl)
    RunButton "directors_copy"
End Sub

Sub NewRawSheets(control As IRibbonControl)
    RunButton "new_raw_sheets"
End Sub
