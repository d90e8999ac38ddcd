package org.infodyn.engine.summary;

import java.util.List;
import java.util.Map;

import org.infodyn.engine.output.MetricRow;

/**
 * One run as the report sees it: its files read back.
 *
 * @param runId the run id
 * @param condition the id of its condition
 * @param seed its seed
 * @param backend its backend id
 * @param status manifest status
 * @param reason why it failed or diverged (empty otherwise)
 * @param manifest the whole manifest
 * @param rows its metrics (empty when the file is missing)
 */
public record RunRecord(String runId, String condition, long seed, String backend, String status, String reason,
        Map<String, Object> manifest, List<MetricRow> rows) {
}
