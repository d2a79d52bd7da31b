import { startShop } from './start-shop.js';

/**
 * The shop as a program: configuration from the environment (README), prints its address and the
 * admin login, stops cleanly on Ctrl-C / SIGTERM.
 */
async function main(): Promise<void> {
  const shop = await startShop();
  const { options, alipay } = shop.deps;
  const lines = [
    `shop      ${shop.url}`,
    `admin     ${shop.url}/admin  password: ${shop.defaultAdminPassword ? `${options.adminPassword} (demo default; set SHOP_ADMIN_PASSWORD)` : '(from SHOP_ADMIN_PASSWORD)'}`,
    `gateway   ${alipay.config.gateway}  partner ${alipay.config.partner}  ${alipay.config.signType} ${alipay.config.charset}`,
    `notify    ${options.publicUrl}/alipay/notify`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`shop: ${signal}, stopping\n`);
    shop.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shop: stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by a launcher with an IPC channel (npm start): stop when it dies, even by SIGKILL.
  if (process.connected) process.once('disconnect', () => stop('launcher gone'));
}

main().catch((error: unknown) => {
  console.error('shop: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
