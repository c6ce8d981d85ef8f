// The baseline for bench/cli.bench.ts: a one-shot script on the official SDK doing what
// `tceops call cvm DescribeInstances --Limit 20` does, printing the response as JSON.
const { CommonClient } = require('tencentcloud-sdk-nodejs-common');

const endpoint = new URL(process.env.TCE_ENDPOINT);
const client = new CommonClient(endpoint.host, '2017-03-12', {
  credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
  region: process.env.TENCENTCLOUD_REGION,
  profile: { httpProfile: { protocol: `${endpoint.protocol}//`, reqMethod: 'POST' } },
});
client.request('DescribeInstances', { Limit: 20 }).then(
  (response) => console.log(JSON.stringify(response, null, 2)),
  (error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
