; Gatewatch's Windows installer: per user (no administrator rights asked or used), into
; %LOCALAPPDATA%\Programs\Gatewatch, with a Start-menu shortcut and an entry in "Installed apps".
; Built on Linux by Debian's makensis (scripts/windows), from the programs the tests ran:
;   makensis -DVERSION=0.1.0 -DBIN=<dir with the .exe files> -DROOT=<repo> -DOUT=<setup.exe> gatewatch.nsi
; Silent with /S (as the tests install it under Wine). Settings and history (%APPDATA%\gatewatch)
; are the user's: uninstalling leaves them.

; A 64-bit installer, as Gatewatch's programs are (and Wine runs it without 32-bit support).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!define NAME "Gatewatch"
!define APP_ID "app.gatewatch.desktop"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Gatewatch"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

Name "${NAME}"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\Gatewatch"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
Icon "${ROOT}\icons\icon.ico"
UninstallIcon "${ROOT}\icons\icon.ico"
BrandingText "Gatewatch ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "Gatewatch"
VIAddVersionKey "FileDescription" "Gatewatch installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "MIT OR Apache-2.0"

!include "MUI2.nsh"
!define MUI_ICON "${ROOT}\icons\icon.ico"
!define MUI_UNICON "${ROOT}\icons\icon.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\gatewatch-app.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start Gatewatch"
!insertmacro MUI_PAGE_LICENSE "${ROOT}\LICENSE-MIT"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

; A running Gatewatch holds its programs open: ask it to quit (its history is saved) first.
!macro QuitRunning
  IfFileExists "$INSTDIR\gatewatch-app.exe" 0 +2
    ExecWait '"$INSTDIR\gatewatch-app.exe" --quit'
!macroend

Section "Gatewatch" Main
  SectionIn RO
  !insertmacro QuitRunning
  SetOutPath "$INSTDIR"
  File "${BIN}\gatewatch-app.exe"
  File "${BIN}\gatewatch-explainer.exe"
  File "${BIN}\gatewatch.exe"
  File "${BIN}\WebView2Loader.dll"
  File "/oname=gatewatch.ico" "${ROOT}\icons\icon.ico"
  File "${ROOT}\LICENSE-MIT"
  File "${ROOT}\LICENSE-APACHE"
  !if /FileExists "${BIN}\THIRD-PARTY-LICENSES"
    File "${BIN}\THIRD-PARTY-LICENSES"
  !endif
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\Gatewatch.lnk" "$INSTDIR\gatewatch-app.exe" "" "$INSTDIR\gatewatch.ico"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Gatewatch"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Gatewatch"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\gatewatch.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  !insertmacro QuitRunning
  Delete "$INSTDIR\gatewatch-app.exe"
  Delete "$INSTDIR\gatewatch-explainer.exe"
  Delete "$INSTDIR\gatewatch.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\gatewatch.ico"
  Delete "$INSTDIR\LICENSE-MIT"
  Delete "$INSTDIR\LICENSE-APACHE"
  Delete "$INSTDIR\THIRD-PARTY-LICENSES"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Gatewatch.lnk"
  ; What the app itself wrote: start at login, and the toasts' name.
  DeleteRegValue HKCU "${RUN_KEY}" "Gatewatch"
  DeleteRegKey HKCU "Software\Classes\AppUserModelId\${APP_ID}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
