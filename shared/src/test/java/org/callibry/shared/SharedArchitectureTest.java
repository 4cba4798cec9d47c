package org.callibry.shared;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class SharedArchitectureTest {
    private final JavaClasses shared = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.callibry.shared");

    @Test
    void sharedUsesNeitherSpringNorJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "javafx..")
                .because("shared is the contract used by the server and by the desktop apps alike")
                .check(shared);
    }
}
