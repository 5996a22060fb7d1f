module.exports = require('./temporary-directory').teardown;
