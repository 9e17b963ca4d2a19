package dev.verdant.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.verdant.io.AtomicFiles;
import dev.verdant.report.EnergyBasis;
import dev.verdant.report.Machine;
import dev.verdant.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a search has finished, kept in its work folder so an interrupted search resumes where it stopped: each
 * candidate is appended and the file rewritten atomically as soon as the candidate is measured, so a kill at any
 * moment loses at most the candidate under way.
 *
 * @param kind          always {@value #KIND}
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param fingerprint   the model, data and settings the results belong to; a search with others does not reuse them
 * @param machine       where the candidates were measured (null until the first measurement)
 * @param energy        how their energy was obtained (null until the first measurement)
 * @param candidates    finished candidates in the order they finished
 */
public record SearchState(String kind, int schemaVersion, String fingerprint, Machine machine, EnergyBasis energy,
        List<CandidateResult> candidates) {

    /** The {@code kind} of a state file. */
    public static final String KIND = "optimize-state";
    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 2;
    /** The state file's name inside the work folder. */
    public static final String FILE_NAME = "state.json";

    public SearchState {
        candidates = List.copyOf(candidates);
    }

    /** A state with nothing finished. */
    public static SearchState empty(String fingerprint) {
        return new SearchState(KIND, SCHEMA_VERSION, fingerprint, null, null, List.of());
    }

    /**
     * The state in {@code workFolder}, or an empty one when there is none.
     *
     * @throws IllegalArgumentException when the folder holds the state of a search with another fingerprint, or
     *                                  a file that is not a state file
     */
    public static SearchState load(Path workFolder, String fingerprint) {
        Path file = workFolder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return empty(fingerprint);
        }
        SearchState state;
        try {
            state = Json.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), SearchState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the search state " + file + " (" + e.getMessage()
                    .lines().findFirst().orElse("") + "); remove it to start afresh", e);
        }
        if (!KIND.equals(state.kind()) || state.schemaVersion() != SCHEMA_VERSION) {
            throw new IllegalArgumentException(file + " is not a verdant optimize state file of schema "
                    + SCHEMA_VERSION + "; remove it or choose another --work folder");
        }
        if (!fingerprint.equals(state.fingerprint())) {
            throw new IllegalArgumentException("the work folder " + workFolder + " holds a search of another model "
                    + "or other settings (" + state.fingerprint() + "); choose another --work folder or remove it");
        }
        return state;
    }

    /** Writes the state into {@code workFolder} atomically. */
    public void save(Path workFolder) {
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the search state: " + e.getOriginalMessage(), e);
        }
        AtomicFiles.write(workFolder.resolve(FILE_NAME), json);
    }

    /** The same state with {@code result} added (replacing an earlier result of the same plan). */
    public SearchState with(CandidateResult result) {
        List<CandidateResult> updated = new ArrayList<>(candidates);
        updated.removeIf(c -> c.plan().id().equals(result.plan().id()));
        updated.add(result);
        return new SearchState(kind, schemaVersion, fingerprint, machine, energy, updated);
    }

    /** The same state recording where and how candidates are measured. */
    public SearchState measuredOn(Machine newMachine, EnergyBasis newEnergy) {
        return new SearchState(kind, schemaVersion, fingerprint, newMachine, newEnergy, candidates);
    }

    /** Finished candidates by plan id. */
    public Map<String, CandidateResult> byId() {
        Map<String, CandidateResult> byId = new LinkedHashMap<>();
        candidates.forEach(c -> byId.put(c.plan().id(), c));
        return byId;
    }
}
