console.log('Hello from Lode!', { runtime: 'lode', node: process.version });
