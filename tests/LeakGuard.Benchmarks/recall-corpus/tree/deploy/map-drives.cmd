@echo off
REM map the release share and push the build
net use Z: \\fs01\releases Rel-Share-2019 /user:ACME\builder
net use Y: \\fs01\public /user:ACME\%USERNAME%
psexec \\app01 -u ACME\svc_deploy -p Psexec-Svc-77 -accepteula cmd /c "C:\deploy\install.cmd"
set API_TOKEN=%RELEASE_API_TOKEN%
curl -u builder:%BUILDER_PASSWORD% https://releases.acme.io/upload
