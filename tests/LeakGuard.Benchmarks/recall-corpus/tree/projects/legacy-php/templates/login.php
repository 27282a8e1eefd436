<form method="post" action="/login.php">
  <input type="text" name="username" placeholder="Username">
  <input type="password" name="password" placeholder="Password" autocomplete="current-password">
  <input type="hidden" name="csrf_token" value="<?= htmlspecialchars($_SESSION['csrf_token']) ?>">
</form>
<?php if ($password === $confirm_password) { echo 'ok'; } ?>
