package org.infodyn.api.backend;

import java.util.Collection;
import java.util.TreeSet;

import org.infodyn.api.config.ConfigException;

/**
 * An experiment asks a backend for a layer kind it cannot build. A configuration error (exit
 * code 2), raised before training starts.
 */
public class UnsupportedLayerException extends ConfigException {
    private static final long serialVersionUID = 1L;

    public UnsupportedLayerException(String backendId, String layerName, String kind, Collection<String> supported) {
        super("model", "layer '" + layerName + "' is of kind '" + kind + "', which backend '" + backendId
                + "' cannot build; it supports: " + ConfigException.list(new TreeSet<>(supported)));
    }
}
