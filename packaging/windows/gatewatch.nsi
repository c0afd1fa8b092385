; Gatewatch's Windows installer: per user (no administrator rights asked or used), into
; %LOCALAPPDATA%\Programs\Gatewatch, with a Start-menu shortcut and an entry in "Installed apps".
; Built on Linux by Debian's makensis (scripts/windows), from the programs the tests ran:
;   makensis -DVERSION=0.1.0 -DBIN=<dir with the .exe files> -DROOT=<repo> -DOUT=<setup.exe> gatewatch.nsi
; Silent with /S (as the tests install it under Wine). Settings and history (%APPDATA%\gatewatch)
; are the user's: uninstalling leaves them.
;
; `/S /update` is how Gatewatch's "Install update" starts it (tray/src/update/windows.rs), once
; it has downloaded and verified this installer: the running Gatewatch is asked to quit, the
; installer waits for its programs to exit (retrying a file still locked, for 30 s), replaces
; them, keeps what the user chose (the start-at-login value is the app's and stays; the
; Start-menu shortcut is refreshed only if it is there), and starts the new version — as the
; same user, this installer being the user's. Any install refuses to put an older version over
; a newer one (DisplayVersion below): silently it exits with code 3; interactively it asks.
; Exit codes: 0 installed, 2 cancelled, 3 a newer version is installed, 4 a program stayed
; locked.

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
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WordFunc.nsh"

; "1" when started as an update (/update).
Var Update
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

; Wait until FILE can be written: a program still running from it (quitting takes a moment; the
; explainer goes when the tray does; a `gatewatch watch` may be open) keeps it locked. Tries for
; 30 s, then asks (or, silent, gives up with exit code 4).
!macro WaitUnlocked FILE
  StrCpy $R5 0
  ${Do}
    ${IfNot} ${FileExists} "${FILE}"
      ${Break}
    ${EndIf}
    ClearErrors
    FileOpen $R6 "${FILE}" a
    ${IfNot} ${Errors}
      FileClose $R6
      ${Break}
    ${EndIf}
    IntOp $R5 $R5 + 1
    ${If} $R5 >= 60
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${FILE} is in use. Quit Gatewatch, then retry." /SD IDCANCEL IDRETRY +3
      SetErrorLevel 4
      Abort "${FILE} is still in use."
      StrCpy $R5 0
    ${EndIf}
    Sleep 500
  ${Loop}
!macroend

Function .onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/update" $R1
  ${IfNot} ${Errors}
    StrCpy $Update "1"
  ${EndIf}
  ; Never an older version over a newer one.
  ReadRegStr $R2 HKCU "${UNINSTALL_KEY}" "DisplayVersion"
  ${If} $R2 != ""
    ${VersionCompare} "${VERSION}" "$R2" $R3
    ${If} $R3 == 2
      MessageBox MB_YESNO|MB_ICONEXCLAMATION "Gatewatch $R2 is installed, which is newer than ${VERSION}. Install the older version over it?" /SD IDNO IDYES older
      SetErrorLevel 3
      Quit
      older:
    ${EndIf}
  ${EndIf}
FunctionEnd

Section "Gatewatch" Main
  SectionIn RO
  !insertmacro QuitRunning
  !insertmacro WaitUnlocked "$INSTDIR\gatewatch-app.exe"
  !insertmacro WaitUnlocked "$INSTDIR\gatewatch-explainer.exe"
  !insertmacro WaitUnlocked "$INSTDIR\gatewatch.exe"
  !insertmacro WaitUnlocked "$INSTDIR\gatewatch-browser-host.exe"
  SetOutPath "$INSTDIR"
  File "${BIN}\gatewatch-app.exe"
  File "${BIN}\gatewatch-explainer.exe"
  File "${BIN}\gatewatch.exe"
  ; The browser extension's native messaging host: the tray names it to each browser this user
  ; has run (a manifest, and the key under HKCU that names it) at every start.
  File "${BIN}\gatewatch-browser-host.exe"
  File "${BIN}\WebView2Loader.dll"
  File "/oname=gatewatch.ico" "${ROOT}\icons\icon.ico"
  File "${ROOT}\LICENSE-MIT"
  File "${ROOT}\LICENSE-APACHE"
  !if /FileExists "${BIN}\THIRD-PARTY-LICENSES"
    File "${BIN}\THIRD-PARTY-LICENSES"
  !endif
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; An update keeps the shortcut as the user left it: refreshed if there, not made again if not.
  ${If} $Update != "1"
  ${OrIf} ${FileExists} "$SMPROGRAMS\Gatewatch.lnk"
    CreateShortcut "$SMPROGRAMS\Gatewatch.lnk" "$INSTDIR\gatewatch-app.exe" "" "$INSTDIR\gatewatch.ico"
  ${EndIf}

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Gatewatch"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "Gatewatch"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\gatewatch.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  ; An update was started by the running Gatewatch, which has quit: start the new one.
  ${If} $Update == "1"
    Exec '"$INSTDIR\gatewatch-app.exe"'
  ${EndIf}
SectionEnd

Section "Uninstall"
  !insertmacro QuitRunning
  ; The browsers' host manifests and the keys naming them, which the tray wrote: removed by the
  ; host program itself (only Gatewatch's own), before it goes.
  IfFileExists "$INSTDIR\gatewatch-browser-host.exe" 0 +2
    ExecWait '"$INSTDIR\gatewatch-browser-host.exe" --unregister'
  Delete "$INSTDIR\gatewatch-app.exe"
  Delete "$INSTDIR\gatewatch-explainer.exe"
  Delete "$INSTDIR\gatewatch.exe"
  Delete "$INSTDIR\gatewatch-browser-host.exe"
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
