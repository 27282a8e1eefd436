param(
    [string]$ServiceAccount = "ACME\svc-orders"
)

# The service runs as a domain account; its password is set here until the gMSA migration.
$password = ConvertTo-SecureString "Svc-0rders-Win-2023!" -AsPlainText -Force
$credential = New-Object System.Management.Automation.PSCredential ($ServiceAccount, $password)

New-Service -Name "AcmeOrders" -BinaryPathName "C:\Services\Orders\Orders.exe" -Credential $credential -StartupType Automatic

# The reporting share uses the account from the environment.
$shareSecret = ConvertTo-SecureString -AsPlainText -Force -String $env:REPORTS_SHARE_PASSWORD
New-PSDrive -Name R -PSProvider FileSystem -Root "\\files.acme.internal\reports" -Credential (New-Object System.Management.Automation.PSCredential ("ACME\svc-reports", $shareSecret))
