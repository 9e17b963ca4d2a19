package dev.verdant.spark;

/**
 * Whether Apache Spark is on the class path, asked without touching a Spark class: the CLI holds verdant-spark
 * while Spark is the user's installation's, so it asks here before it calls {@link DistributedEvaluation}.
 */
public final class SparkClassPath {

    /** The Maven coordinates a user adds when Spark is missing. */
    public static final String ARTIFACT = "org.apache.spark:spark-sql_2.13";

    private SparkClassPath() {
    }

    /** Whether Spark's classes can be loaded. */
    public static boolean present() {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkClassPath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Checks that Spark is there.
     *
     * @param option what needs it, e.g. {@code --spark}
     * @throws IllegalArgumentException in one line naming the artifact to add, when it is not
     */
    public static void require(String option) {
        if (!present()) {
            throw new IllegalArgumentException(option + " needs Apache Spark on the class path: add " + ARTIFACT
                    + " (4.1 or later), or set SPARK_HOME for the ./verdant launcher");
        }
    }
}
