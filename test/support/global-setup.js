module.exports = require('./temporary-directory').setup;
