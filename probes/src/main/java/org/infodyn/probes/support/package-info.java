/** What the built-in probes share (not exported: plugins implement the api's interfaces themselves). */
package org.infodyn.probes.support;
